//! What the process asks of its allocator and of the kernel about memory: the one place with
//! `unsafe` code (calls into the allocator and the kernel that take no Rust references).
//!
//! The binary allocates with mimalloc (`src/main.rs`): a check allocates and frees millions of
//! small objects, and mimalloc does it in fewer instructions than glibc's malloc, in one
//! arena shared by the worker threads. Two things are tuned per use:
//! - the language server gives memory back once documents close ([`release_freed`]): the
//!   allocator otherwise keeps freed pages for later, and an editor session is long;
//! - a check of many files lets the kernel back the allocator's memory with 2 MiB pages
//!   ([`prefer_huge_pages`]): with 4 KiB pages, a tenth to a third of a large check's time
//!   went to the kernel faulting in fresh pages one by one. Small checks skip it: a huge page
//!   costs more to clear than one file needs.

/// Returns to the system the memory the allocators keep free: mimalloc's (the binary's
/// allocator) and glibc's (what C code and tests allocate). Cheap when there is nothing to
/// return.
#[allow(unsafe_code)]
pub fn release_freed() {
    // SAFETY: `mi_collect` takes no pointers; it frees what mimalloc's heaps hold unused and
    // may be called at any time from any thread.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointers and only releases pages glibc's allocator
        // holds free; it is thread-safe and may be called at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Asks the kernel to back the allocator's memory with huge pages from now on: the mapping
/// that holds a fresh allocation (mimalloc reserves one large arena up front, so this covers
/// what the rest of the run allocates) is advised `MADV_HUGEPAGE`. Linux only; anything that
/// fails (no `/proc`, an old kernel, huge pages disabled) leaves memory as it was.
pub fn prefer_huge_pages() {
    let probe = Box::new(0u64);
    let at = std::ptr::from_ref::<u64>(&probe) as usize;
    if let Some((start, end)) = mapping_at(at) {
        advise_huge(start, end);
    }
}

/// The mapping (start, end) of `/proc/self/maps` that holds address `at`.
fn mapping_at(at: usize) -> Option<(usize, usize)> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .find_map(|line| parse_mapping(line).filter(|&(s, e)| s <= at && at < e))
}

/// `5590e5c2e000-5590e5c4f000 rw-p …` → (start, end).
fn parse_mapping(line: &str) -> Option<(usize, usize)> {
    let range = line.split(' ').next()?;
    let (start, end) = range.split_once('-')?;
    Some((
        usize::from_str_radix(start, 16).ok()?,
        usize::from_str_radix(end, 16).ok()?,
    ))
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise_huge(start: usize, end: usize) {
    // SAFETY: `start..end` is a whole mapping of this process, read from /proc/self/maps just
    // now; MADV_HUGEPAGE changes only how the kernel backs it, never its contents, and fails
    // harmlessly (EINVAL, ENOMEM) if the mapping changed or huge pages are unavailable.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_start: usize, _end: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_mapping_line() {
        assert_eq!(
            parse_mapping("5590e5c2e000-5590e5c4f000 rw-p 00000000 00:00 0   [heap]"),
            Some((0x5590e5c2e000, 0x5590e5c4f000))
        );
        assert_eq!(parse_mapping("garbage"), None);
        assert_eq!(parse_mapping("zz-10 r--p"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn finds_the_mapping_of_an_allocation() {
        let b = Box::new([0u8; 64]);
        let at = b.as_ptr() as usize;
        let (start, end) = mapping_at(at).expect("a heap allocation is in some mapping");
        assert!(start <= at && at < end);
        // Advising it changes nothing a program can see.
        prefer_huge_pages();
        release_freed();
        assert_eq!(*b, [0u8; 64]);
    }
}
