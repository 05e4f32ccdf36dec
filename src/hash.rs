//! A fast hasher for maps whose keys are not chosen by an adversary: the profile's label texts
//! (looked up once or more per table cell) and the build cache's block addresses (looked up
//! for every block on every keystroke), and positions in a document (several per table cell
//! or figure). The standard hasher (SipHash) resists collisions made
//! on purpose, at several times the cost; keys taken from a document keep using it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map hashed with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A set hashed with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Multiplies and rotates a word at a time (the scheme of rustc's `FxHasher`).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        // The tail in four, two and one bytes: a zero byte at the end still adds a step, so
        // `ab` and `ab\0` differ.
        let mut rest = chunks.remainder();
        if let Some((four, after)) = rest.split_first_chunk::<4>() {
            self.add(u64::from(u32::from_le_bytes(*four)));
            rest = after;
        }
        if let Some((two, after)) = rest.split_first_chunk::<2>() {
            self.add(u64::from(u16::from_le_bytes(*two)));
            rest = after;
        }
        if let Some(&one) = rest.first() {
            self.add(u64::from(one));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(t)
    }

    #[test]
    fn equal_keys_hash_alike_and_near_keys_apart() {
        assert_eq!(hash("申请情况"), hash(&"申请情况".to_string()));
        // Every byte counts, in the whole words and in the tail after them.
        let base = "一、总体情况 abc";
        let mut seen = std::collections::HashSet::new();
        for i in 0..base.len() {
            let mut bytes = base.as_bytes().to_vec();
            bytes[i] ^= 1;
            assert!(seen.insert(hash(&bytes[..])), "byte {i}");
        }
        assert!(seen.insert(hash(base.as_bytes())));
        // A string's length is part of its hash: a zero-padded tail is not the same key.
        assert_ne!(hash("ab"), hash("ab\0"));
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("第{i}行"), i);
        }
        assert!((0..1000).all(|i| m[&format!("第{i}行")] == i));
        assert_eq!(m.get("第1000行"), None);
    }
}
