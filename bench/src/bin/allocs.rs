//! Counts the heap allocations per request of each case (a counting global allocator around
//! the system one): `allocs [case..]`, every case by default. The dispatch allocates nothing
//! when a dmr endpoint's count equals its hand-written (b') case's.

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

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for case in dmr_bench::cases() {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == case.id) {
            continue;
        }
        let mut run = case.runner();
        run(50);
        let before = ALLOCS.load(Ordering::Relaxed);
        run(1000);
        let per = (ALLOCS.load(Ordering::Relaxed) - before) as f64 / 1000.0;
        println!("{}\t{per:.2}", case.id);
    }
}
