//! 历史变更记录 (manual §4.2.4 (3)): the status changes of one piece of equipment, as a table on a
//! wide screen and as cards on a phone. Shared by the history screen and the archive.

use leptos::prelude::*;
use tejian_contract::status_change::StatusChange;
use tejian_domain::status_change::ChangeState;
use time::{OffsetDateTime, UtcOffset};

use crate::components::download::AttachmentLink;
use crate::components::equipment_table::{dash, header_cells, opt_text, use_status_badge};
use crate::i18n::t;

/// A moment in China Standard Time, `2026-11-27 09:30`.
pub fn datetime_text(at: OffsetDateTime) -> String {
    let at = match UtcOffset::from_hms(8, 0, 0) {
        Ok(cst) => at.to_offset(cst),
        Err(_) => at,
    };
    format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
}

/// 审批状态 as a coloured badge.
pub fn state_badge(state: ChangeState) -> impl IntoView {
    let class = match state {
        ChangeState::Submitted => "badge badge-warn",
        ChangeState::Approved => "badge badge-ok",
        ChangeState::Rejected => "badge badge-error",
    };
    view! { <span class=class>{state.label_zh()}</span> }
}

/// The changes, newest first as the server sends them.
#[component]
pub fn StatusChangeTable(items: Vec<StatusChange>) -> impl IntoView {
    let t = t();
    let headers = [
        t.change_kind,
        t.change_from_to,
        t.applicant,
        t.applied_on,
        t.approval_state,
        t.reviewer,
        t.opinion,
        t.attachments,
    ];
    let head = header_cells(&headers);
    let rows = items
        .into_iter()
        .map(|c| {
            let attachments = if c.attachments.is_empty() {
                dash().into_any()
            } else {
                c.attachments
                    .into_iter()
                    .map(|f| view! { <AttachmentLink file=f /> })
                    .collect_view()
                    .into_any()
            };
            view! {
                <tr class="change-row">
                    <td data-label=headers[0]><div class="cell">
                        <strong>{c.kind.label_zh()}</strong>
                        <br />
                        <span class="muted small">{format!("{}{}", t.effective_on, c.effective_date)}</span>
                    </div></td>
                    <td data-label=headers[1]><div class="cell">
                        <span class="from-to">
                            {use_status_badge(c.from_use_status)}
                            <span aria-label=t.becomes>"→"</span>
                            {use_status_badge(c.to_use_status)}
                        </span>
                    </div></td>
                    <td data-label=headers[2]><div class="cell">{c.applicant_name}</div></td>
                    <td data-label=headers[3]><div class="cell">{datetime_text(c.submitted_at)}</div></td>
                    <td data-label=headers[4]><div class="cell">{state_badge(c.state)}</div></td>
                    <td data-label=headers[5]><div class="cell">{opt_text(c.reviewer_name)}</div></td>
                    <td data-label=headers[6]><div class="cell">{opt_text(c.opinion)}</div></td>
                    <td data-label=headers[7]><div class="cell">
                        <span class="attachments">{attachments}</span>
                    </div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.change_history tabindex="0">
            <table class="data-table cards-on-phone">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
