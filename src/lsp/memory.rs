//! Returning freed memory to the system after documents close.
//!
//! glibc keeps the memory of many small frees (rope nodes, a parse's lines, the model's
//! strings: several bytes for each byte of text) in its heaps instead of giving it back, so
//! a server that opened large documents stayed at their size after they closed, for the
//! rest of the editing session. `malloc_trim` hands the free pages of every heap back.

/// Returns to the system the memory the allocator keeps free (glibc only; elsewhere nothing).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn release_freed() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim takes no pointers and only releases pages glibc's allocator holds
    // free; it is thread-safe and may be called at any time.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_freed() {}
