//! Counts the heap allocations per request of each case (per decode for the verification
//! cases; a counting global allocator around the system one): `allocs [case..]`, every case by
//! default. The dispatch allocates nothing when a dmr endpoint's count equals its
//! hand-written (b') case's; the look-up by `kid` allocates nothing when `port-*` counts what
//! `one-key-*` does.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per call of `run`, after a warm-up.
fn per_call(mut run: Box<dyn FnMut(u64) -> std::time::Duration>) -> f64 {
    run(50);
    let before = ALLOCS.load(Ordering::Relaxed);
    run(1000);
    (ALLOCS.load(Ordering::Relaxed) - before) as f64 / 1000.0
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |id: &str| wanted.is_empty() || wanted.iter().any(|w| w == id);
    for case in dmr_bench::cases() {
        if wanted(case.id) {
            println!("{}\t{:.2}", case.id, per_call(case.runner()));
        }
    }
    // RS256 / EdDSA verification: the key-ring cases allocate what the one-key ones do when
    // the look-up by `kid` allocates nothing
    for case in dmr_bench::verify_cases::verify_cases() {
        if wanted(case.id) {
            println!("{}\t{:.2}", case.id, per_call(case.runner()));
        }
    }
}
