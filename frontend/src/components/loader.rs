//! A small data loader for screens: [`Load::Loading`] → [`Load::Ready`] or [`Load::Failed`], and
//! [`Loader::reload`] for the 重试 button (which shows the loading state again, unlike a resource
//! that keeps its old value while refetching). Only the newest request's answer is kept.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::UiError;

/// Where a loaded value stands.
#[derive(Debug, Clone)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(UiError),
}

/// A value loaded by an async call, with a way to load it again.
#[derive(Debug)]
pub struct Loader<T: 'static> {
    /// The current state; read it with `.with(…)` in a view.
    pub state: RwSignal<Load<T>, LocalStorage>,
    run: StoredValue<Rc<dyn Fn()>, LocalStorage>,
}

impl<T> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loader<T> {}

impl<T: 'static> Loader<T> {
    /// Starts loading at once.
    pub fn new<F, Fut>(fetch: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, UiError>> + 'static,
    {
        let state = RwSignal::new_local(Load::Loading);
        let generation = StoredValue::new_local(0_u64);
        let run: Rc<dyn Fn()> = Rc::new(move || {
            let current = generation.get_value().wrapping_add(1);
            generation.set_value(current);
            state.set(Load::Loading);
            let future = fetch();
            spawn_local(async move {
                let result = future.await;
                // Gone (the screen was left) or overtaken by a newer request: drop the answer.
                if generation.try_get_value() != Some(current) {
                    return;
                }
                let _ = state.try_set(match result {
                    Ok(value) => Load::Ready(value),
                    Err(error) => Load::Failed(error),
                });
            });
        });
        run();
        Self {
            state,
            run: StoredValue::new_local(run),
        }
    }

    /// Loads again (重试, or after a change).
    pub fn reload(&self) {
        if let Some(run) = self.run.try_get_value() {
            run();
        }
    }
}
