//! Incremental parsing: after an edit, only the blocks around it are parsed again.
//!
//! Blocks are runs of non-blank lines, so an edit can only change the blocks it touches and
//! their neighbours (it may join two blocks by filling the blank line between them, or split
//! one). Everything before and after is reused as it is, shifted by the edit's change in length.

use std::sync::Arc;

use super::lines::{parse_block, split_blocks, Block};

/// A change from an old text to a new one: `old[start..old_end]` became `new[start..new_end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Edit {
    pub fn new(start: usize, old_end: usize, new_len: usize) -> Edit {
        Edit {
            start,
            old_end,
            new_end: start + new_len,
        }
    }

    /// The single edit equal to `self` followed by `next` (whose positions are in the text
    /// `self` produced).
    pub fn then(self, next: Edit) -> Edit {
        let start = self.start.min(next.start);
        let mid_end = self.new_end.max(next.old_end);
        let grew = self.new_end as isize - self.old_end as isize;
        let next_grew = next.new_end as isize - next.old_end as isize;
        Edit {
            start,
            old_end: (mid_end as isize - grew).max(start as isize) as usize,
            new_end: (mid_end as isize + next_grew).max(start as isize) as usize,
        }
    }
}

/// How much of the old parse an update reused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub reused: usize,
    pub parsed: usize,
}

/// Which old blocks an edit leaves: those before `keep_before`, and those from `tail_from`
/// (moved by `delta`); the text between is parsed again.
struct Plan {
    keep_before: usize,
    region_start: usize,
    tail_from: Option<usize>,
    region_end_new: usize,
    delta: isize,
}

impl Plan {
    /// `None` when the blocks do not fit the edit (the caller parses everything).
    fn new(old: &[Block], new_len: usize, edit: Edit) -> Option<Plan> {
        let delta = edit.new_end as isize - edit.old_end as isize;
        // The last block starting strictly before the edit: the blank line before it is
        // untouched, so its start is a block boundary in both texts.
        let (keep_before, region_start) = match old.iter().rposition(|b| b.start < edit.start) {
            Some(i) => (i, old[i].start),
            None => (0, 0),
        };
        // Two blocks past the edit: the blank lines before that one are untouched too.
        let after = old
            .iter()
            .position(|b| b.start > edit.old_end)
            .map(|i| i + 1);
        let tail_from = after.filter(|&i| i < old.len());
        let region_end_new = match tail_from {
            Some(i) => (old[i].start as isize + delta) as usize,
            None => new_len,
        };
        (region_start <= region_end_new && region_end_new <= new_len).then_some(Plan {
            keep_before,
            region_start,
            tail_from,
            region_end_new,
            delta,
        })
    }

    /// The blocks of the edited region, placed in the new text.
    fn fresh(&self, new_text: &str) -> Vec<Block> {
        let mut fresh = split_blocks(&new_text[self.region_start..self.region_end_new]);
        for b in &mut fresh {
            b.start += self.region_start;
        }
        fresh
    }
}

/// Every block parsed afresh, when the old ones do not fit the edit.
fn parse_all(new_text: &str) -> (Vec<Block>, Reuse) {
    let blocks = split_blocks(new_text);
    let parsed = blocks.len();
    (blocks, Reuse { reused: 0, parsed })
}

/// The blocks of `new_text`, given the blocks of the text before `edit`: those kept are moved
/// into the new list, not shared (a large document has thousands, and sharing each means
/// touching its count twice a keystroke).
pub fn reparse_owned(mut old: Vec<Block>, new_text: &str, edit: Edit) -> (Vec<Block>, Reuse) {
    let Some(plan) = Plan::new(&old, new_text.len(), edit) else {
        return parse_all(new_text);
    };
    let fresh = plan.fresh(new_text);
    let parsed = fresh.len();
    let tail_from = plan.tail_from.unwrap_or(old.len());
    let tail = old.len() - tail_from;
    old.splice(plan.keep_before..tail_from, fresh);
    let moved = old.len() - tail;
    for b in &mut old[moved..] {
        b.start = (b.start as isize + plan.delta) as usize;
    }
    let reused = plan.keep_before + tail;
    (old, Reuse { reused, parsed })
}

/// The blocks of `new_text`, given the blocks of the text before `edit` (shared with the
/// caller: see [`reparse_owned`] for a caller that gives them up).
pub fn reparse(old: &[Block], new_text: &str, edit: Edit) -> (Vec<Block>, Reuse) {
    reparse_owned(old.to_vec(), new_text, edit)
}

/// Re-parses one block's text (for callers that keep their own block list).
pub fn parse_one(text: &str, start: usize) -> Block {
    Block {
        start,
        data: Arc::new(parse_block(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &[Block], b: &[Block]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.start == y.start && x.data == y.data)
    }

    /// Applies `replace` at `at..at+len` and checks the incremental parse against a full one.
    fn check(old_text: &str, at: usize, len: usize, replace: &str) -> Reuse {
        let old = split_blocks(old_text);
        let new_text = format!("{}{}{}", &old_text[..at], replace, &old_text[at + len..]);
        let edit = Edit::new(at, at + len, replace.len());
        let (blocks, reuse) = reparse(&old, &new_text, edit);
        let full = split_blocks(&new_text);
        assert!(
            same(&blocks, &full),
            "edit at {at}+{len} -> {replace:?}\n{new_text:?}"
        );
        // The blocks kept are the old ones themselves (the build cache knows them by address).
        let kept = blocks
            .iter()
            .filter(|b| old.iter().any(|o| Arc::ptr_eq(&o.data, &b.data)))
            .count();
        assert_eq!(kept, reuse.reused, "edit at {at}+{len} -> {replace:?}");
        reuse
    }

    #[test]
    fn edits_anywhere_match_a_full_parse() {
        let text = "标题\n\n一、总体情况\n正文。\n\n\t规章\n\t0\n\n\t行政规范性文件\n\t16\n\n二、主动公开\n";
        for at in 0..=text.len() {
            if !text.is_char_boundary(at) {
                continue;
            }
            for len in [0usize, 1, 2, 5] {
                let end = (at + len).min(text.len());
                if !text.is_char_boundary(end) {
                    continue;
                }
                for replace in ["", "x", "\n", "\n\n", "甲\n\n乙", "\t"] {
                    check(text, at, end - at, replace);
                }
            }
        }
    }

    #[test]
    fn an_edit_reuses_distant_blocks() {
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("段落{i}。\n\n"));
        }
        let at = text.find("段落50").unwrap();
        let reuse = check(&text, at, 0, "新");
        assert!(reuse.reused >= 97, "{reuse:?}");
        assert!(reuse.parsed <= 3, "{reuse:?}");
    }

    #[test]
    fn composed_edits_cover_both() {
        let a = "0123456789";
        let e1 = Edit::new(2, 4, 5); // "01" + "xxxxx" + "456789"
        let mid = "01xxxxx456789";
        let e2 = Edit::new(10, 12, 0); // delete "78" in mid
        let new = "01xxxxx4569";
        let both = e1.then(e2);
        assert_eq!(&a[..both.start], &new[..both.start]);
        assert_eq!(&a[both.old_end..], &new[both.new_end..]);
        let _ = mid;
    }
}
