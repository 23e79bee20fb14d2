//! 设备列表: the result table of 设备综合查询 and the four lists (manual §4.2–4.6). A table on a
//! wide screen (scrolling inside its own box when needed), one card per piece of equipment on a
//! phone (the style sheet turns each cell into a 「label value」 line from `data-label`).

use leptos::prelude::*;
use tejian_contract::equipment::{ApplicationStatus, EquipmentSummary};
use tejian_domain::equipment::UseStatus;
use tejian_domain::inspection::Outcome;
use time::Date;

use crate::i18n::t;

/// One column of an equipment list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 设备种类 / 品种
    Kind,
    /// 注册代码 (or 设备代码)
    Code,
    /// 使用登记证编号
    Certificate,
    /// 单位内编号
    InternalNo,
    /// 使用地点
    Location,
    /// 使用状态
    UseStatus,
    /// 下次检验日期
    NextDate,
    /// 超期天数
    OverdueDays,
    /// 最近结论 / 检验结论
    LastOutcome,
    /// 受理状态
    Application,
    /// 变更日期
    ChangedOn,
    /// 相关操作
    Actions,
    /// 申报登记 (网上报检)
    Apply,
}

impl Column {
    /// The cell's class (widths and wrapping in the style sheet).
    fn class(self) -> &'static str {
        match self {
            Column::Kind => "col-kind",
            Column::Code => "col-code",
            Column::Certificate => "col-cert",
            Column::Location => "col-location",
            Column::Actions | Column::Apply => "col-actions",
            _ => "col-short",
        }
    }

    fn header(self) -> &'static str {
        let t = t();
        match self {
            Column::Kind => t.col_kind,
            Column::Code => t.registration_code,
            Column::Certificate => t.use_certificate_no,
            Column::InternalNo => t.internal_no,
            Column::Location => t.install_location,
            Column::UseStatus => t.use_status,
            Column::NextDate => t.next_inspection_date,
            Column::OverdueDays => t.overdue_days,
            Column::LastOutcome => t.last_outcome,
            Column::Application => t.application_status,
            Column::ChangedOn => t.status_changed_on,
            Column::Actions | Column::Apply => t.actions,
        }
    }

    fn cell(self, e: &EquipmentSummary) -> AnyView {
        let t = t();
        match self {
            Column::Kind => view! {
                <span class="muted small">{e.category_name.clone()}</span>
                <br />
                {e.variety_name.clone()}
            }
            .into_any(),
            Column::Code => match (&e.registration_code, &e.equipment_code) {
                (Some(code), _) => view! { <span class="code">{code.clone()}</span> }.into_any(),
                (None, Some(code)) => view! {
                    <span class="code">{code.clone()}</span>
                    <br />
                    <span class="muted small">{t.equipment_code_note}</span>
                }
                .into_any(),
                (None, None) => dash().into_any(),
            },
            Column::Certificate => opt_text(e.use_certificate_no.clone()).into_any(),
            Column::InternalNo => opt_text(e.internal_no.clone()).into_any(),
            Column::Location => e.install_location.clone().into_any(),
            Column::UseStatus => use_status_badge(e.use_status).into_any(),
            Column::NextDate => {
                let overdue = e.overdue_days.is_some_and(|d| d > 0);
                view! {
                    <span class:text-error=overdue>{date_text(e.next_inspection_date)}</span>
                }
                .into_any()
            }
            Column::OverdueDays => match e.overdue_days {
                Some(days) => view! {
                    <span class="text-error strong">{format!("{days} {}", t.days)}</span>
                }
                .into_any(),
                None => dash().into_any(),
            },
            Column::LastOutcome => match e.last_outcome {
                Some(o) => outcome_badge(o).into_any(),
                None => dash().into_any(),
            },
            Column::Application => application_badge(e.application_status).into_any(),
            Column::ChangedOn => date_text(e.status_changed_on).into_any(),
            Column::Actions => {
                let id = e.id;
                view! {
                    <span class="row-actions">
                        <a href=format!("/equipment/{id}")>{t.archive}</a>
                        <a href=format!("/equipment/{id}/change")>{t.change_request}</a>
                        <a href=format!("/equipment/{id}/changes")>{t.change_history}</a>
                    </span>
                }
                .into_any()
            }
            Column::Apply => view! {
                <a
                    class="btn btn-secondary btn-small apply-one"
                    href=format!("/services/applications/new?equipment={}", e.id)
                >
                    {t.apply_one}
                </a>
            }
            .into_any(),
        }
    }
}

/// The code people know a piece of equipment by: 注册代码, else 设备代码.
pub fn summary_label(e: &EquipmentSummary) -> String {
    e.registration_code
        .clone()
        .or_else(|| e.equipment_code.clone())
        .unwrap_or_else(|| format!("#{}", e.id))
}

/// 「—」 for a value that is not there.
/// The header cells of a table, one `<th scope="col">` per text.
pub fn header_cells(headers: &[&'static str]) -> impl IntoView + use<> {
    headers
        .iter()
        .map(|h| view! { <th scope="col">{*h}</th> })
        .collect_view()
}

pub fn dash() -> impl IntoView {
    view! { <span class="muted">"—"</span> }
}

/// A text or 「—」.
pub fn opt_text(value: Option<String>) -> AnyView {
    match value {
        Some(v) if !v.is_empty() => v.into_any(),
        _ => dash().into_any(),
    }
}

/// A date as `2026-11-27`, or 「—」.
pub fn date_text(date: Option<Date>) -> AnyView {
    match date {
        Some(d) => d.to_string().into_any(),
        None => dash().into_any(),
    }
}

/// 使用状态 as a coloured badge.
pub fn use_status_badge(status: UseStatus) -> impl IntoView {
    let class = match status {
        UseStatus::InUse | UseStatus::InUseUnregistered => "badge badge-ok",
        UseStatus::Stopped | UseStatus::NotYetInUse => "badge badge-warn",
        _ => "badge badge-muted",
    };
    view! { <span class=class>{status.label_zh()}</span> }
}

/// 检验结论 as a coloured badge.
pub fn outcome_badge(outcome: Outcome) -> impl IntoView {
    let class = match outcome {
        Outcome::Pass => "badge badge-ok",
        Outcome::ConditionalPass => "badge badge-warn",
        Outcome::Fail => "badge badge-error",
    };
    view! { <span class=class>{outcome.label_zh()}</span> }
}

/// 受理状态 as a badge.
pub fn application_badge(status: ApplicationStatus) -> impl IntoView {
    let class = match status {
        ApplicationStatus::None => "badge badge-muted",
        ApplicationStatus::Pending => "badge badge-warn",
        ApplicationStatus::Accepted => "badge badge-ok",
    };
    view! { <span class=class>{status.label_zh()}</span> }
}

/// The list of equipment with the given columns; with `select`, a first column of check boxes
/// that add the row's id to (or take it out of) the selection.
#[component]
pub fn EquipmentTable(
    items: Vec<EquipmentSummary>,
    columns: &'static [Column],
    #[prop(optional_no_strip)] select: Option<RwSignal<Vec<i64>>>,
) -> impl IntoView {
    let t = t();
    let select_head = select.map(|_| {
        view! {
            <th scope="col" class="col-select">
                <span class="visually-hidden">{t.select}</span>
            </th>
        }
    });
    let head = columns
        .iter()
        .map(|c| view! { <th scope="col">{c.header()}</th> })
        .collect_view();
    let rows = items
        .iter()
        .map(|e| {
            let select_cell = select.map(|selected| {
                let id = e.id;
                let label = format!("{}{}", t.select, summary_label(e));
                view! {
                    <td data-label=t.select class="col-select">
                        <div class="cell">
                            <input
                                type="checkbox"
                                class="row-check"
                                aria-label=label
                                prop:checked=move || selected.with(|s| s.contains(&id))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    selected.update(|s| {
                                        s.retain(|x| *x != id);
                                        if on {
                                            s.push(id);
                                        }
                                    });
                                }
                            />
                        </div>
                    </td>
                }
            });
            let cells = columns
                .iter()
                .map(|c| {
                    view! {
                        <td data-label=c.header() class=c.class()>
                            <div class="cell">{c.cell(e)}</div>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr class="equipment-row">{select_cell}{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.results tabindex="0">
            <table class="data-table cards-on-phone">
                <thead>
                    <tr>{select_head}{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
