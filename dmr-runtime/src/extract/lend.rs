//! The identity the pipeline lends to the handler's `Authed<T>` while it extracts the
//! arguments, on an endpoint that reads nothing of the request's record but one typed
//! identity: moved into the argument, not stored on the request, so the success path
//! allocates nothing. One slot per identity type and worker thread, allocated on first use
//! and reused; a lend lasts one synchronous call (see [`scope`]).

use std::any::{Any, TypeId};
use std::cell::RefCell;

/// Empties a slot holding an `Option<T>`.
type Clear = fn(&mut dyn Any);

fn clear<T: 'static>(slot: &mut dyn Any) {
    if let Some(slot) = slot.downcast_mut::<Option<T>>() {
        *slot = None;
    }
}

struct Lent {
    /// The slot that holds the identity being lent, its type and how to empty it.
    active: Option<(usize, TypeId, Clear)>,
    /// One `Option<T>` per identity type lent so far on this thread.
    slots: Vec<(TypeId, Box<dyn Any>)>,
}

thread_local! {
    static LENT: RefCell<Lent> = const {
        RefCell::new(Lent { active: None, slots: Vec::new() })
    };
}

impl Lent {
    fn end(&mut self) {
        if let Some((i, _, clear)) = self.active.take() {
            clear(&mut *self.slots[i].1);
        }
    }
}

/// Lends `value` until the end of the current [`scope`]: the first [`take`] of a `T` gets it.
#[inline]
pub(crate) fn put<T: 'static>(value: T) {
    let id = TypeId::of::<T>();
    LENT.with_borrow_mut(|lent| {
        lent.end();
        let i = match lent.slots.iter().position(|(t, _)| *t == id) {
            Some(i) => i,
            None => {
                lent.slots.push((id, Box::new(None::<T>)));
                lent.slots.len() - 1
            }
        };
        if let Some(slot) = lent.slots[i].1.downcast_mut::<Option<T>>() {
            *slot = Some(value);
            lent.active = Some((i, id, clear::<T>));
        }
    });
}

/// The lent identity, if one of type `T` is lent and not yet taken.
#[inline]
pub(crate) fn take<T: 'static>() -> Option<T> {
    LENT.with_borrow_mut(|lent| {
        let (i, id, _) = lent.active?;
        if id != TypeId::of::<T>() {
            return None;
        }
        lent.active = None;
        lent.slots[i].1.downcast_mut::<Option<T>>()?.take()
    })
}

/// Runs `f` (the extraction of a handler's arguments, which calls every extractor before it
/// returns) and then drops whatever was lent and not taken, even if `f` panics.
#[inline]
pub(crate) fn scope<R>(f: impl FnOnce() -> R) -> R {
    struct End;
    impl Drop for End {
        fn drop(&mut self) {
            LENT.with_borrow_mut(Lent::end);
        }
    }
    let _end = End;
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lend_goes_to_the_first_taker_of_its_type_and_ends_with_its_scope() {
        let got = scope(|| {
            put(String::from("ada"));
            (take::<u64>(), take::<String>(), take::<String>())
        });
        assert_eq!(got, (None, Some("ada".to_owned()), None));
        scope(|| put(7_u64));
        assert_eq!(take::<u64>(), None);
    }
}
