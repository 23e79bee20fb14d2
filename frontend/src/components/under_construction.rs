//! 建设中: the placeholder of a screen that a later issue builds. Nothing fake, no sample data.

use leptos::prelude::*;

use crate::i18n::t;
use crate::nav::screen_at;

/// 「设备综合查询（手册 4.2）功能建设中」 for the screen at `path`.
#[component]
pub fn UnderConstruction(path: &'static str) -> impl IntoView {
    let t = t();
    let (name, manual) = screen_at(path).map_or((path, ""), |s| (s.name(), s.manual));
    let line = if manual.is_empty() {
        format!("{name}{}", t.under_construction)
    } else {
        format!("{name}（{} {manual}）{}", t.manual, t.under_construction)
    };
    view! {
        <section class="card under-construction">
            <h1 class="page-title">{name}</h1>
            <p class="uc-line">{line}</p>
            <p class="muted">{t.under_construction_hint}</p>
        </section>
    }
}
