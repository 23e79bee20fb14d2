//! tejian-web: the enterprise service platform's single-page app (Leptos, client-side rendered).
//!
//! One screen per screen of the old platform's manual, under `pages/`, named after it; the
//! manual's menus are the navigation ([`nav`]); every text comes from [`i18n`]. The app talks to
//! the API only through `tejian-client`, and keeps the access token in memory only.

pub mod app;
pub mod auth;
pub mod components;
pub mod fee_check;
pub mod i18n;
pub mod nav;
pub mod pages;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point: called by `boot.js` once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
