//! 企业自助服务 › 电子发票下载 (manual §5.6): the enterprise's electronic invoices, by 缴款单号 or
//! all of them; 「打印」 opens the PDF in a new tab (to print or save there), 「下载」 saves it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tejian_contract::invoice::{Invoice, InvoiceQuery};
use tejian_contract::list::Page;
use tejian_domain::payment::PaymentNoticeNo;
use web_sys::{Blob, BlobPropertyBag, Url};

use crate::auth::{UiError, use_auth};
use crate::components::download::save_file;
use crate::components::field::FieldMessage;
use crate::components::pay_texts::pt;
use crate::components::status_change_table::datetime_text;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// How many invoices one query asks for.
const PER_PAGE: u32 = 100;
/// How long a printed invoice's object URL lives (the tab has long loaded it by then).
const URL_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

/// The PDF as an object URL of this origin.
fn pdf_url(bytes: &[u8]) -> Result<String, UiError> {
    let failed = |_| UiError::local(0, "download_failed", t().download_failed);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type("application/pdf");
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    Url::create_object_url_with_blob(&blob).map_err(failed)
}

/// 电子发票下载.
#[component]
pub fn InvoiceDownload() -> impl IntoView {
    let t = t();
    let p = pt();
    let auth = use_auth();

    let number = RwSignal::new(String::new());
    let number_error = RwSignal::new(None::<String>);
    let query = RwSignal::new(InvoiceQuery {
        per_page: Some(PER_PAGE),
        ..InvoiceQuery::default()
    });
    let rows = Loader::new(move || {
        let query = query.get_untracked();
        async move {
            auth.call(move |c| async move { c.invoices(&query).await })
                .await
        }
    });

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = number.get_untracked().trim().to_owned();
        let notice_no = if typed.is_empty() {
            None
        } else {
            match PaymentNoticeNo::parse(&typed) {
                Ok(no) => Some(no.as_str().to_owned()),
                Err(e) => {
                    number_error.set(Some(e.to_string()));
                    return;
                }
            }
        };
        number_error.set(None);
        if let Some(no) = &notice_no {
            number.set(no.clone());
        }
        query.set(InvoiceQuery {
            notice_no,
            page: None,
            per_page: Some(PER_PAGE),
        });
        rows.reload();
    };
    let reset = move |_| {
        number.set(String::new());
        number_error.set(None);
        query.set(InvoiceQuery {
            per_page: Some(PER_PAGE),
            ..InvoiceQuery::default()
        });
        rows.reload();
    };

    let results = move || {
        rows.state.with(|state| match state {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| rows.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                let text = if query.with_untracked(|q| q.notice_no.is_some()) {
                    p.no_invoices_for
                } else {
                    p.no_invoices
                };
                view! { <Empty text=text /> }.into_any()
            }
            Load::Ready(page) => view! { <InvoiceTable page=page.clone() /> }.into_any(),
        })
    };

    let number_message = Signal::derive(move || number_error.get());

    view! {
        <div class="stack invoices">
            <section class="card">
                <h1 class="page-title">{t.screen_invoices}</h1>
                <p class="muted lead-line">{p.invoice_intro}</p>
                <form class="filters invoice-query" on:submit=search novalidate role="search">
                    <div class="filter-grid">
                        <div class="field">
                            <label for="invoice-notice-no">{p.invoice_notice_no}</label>
                            <input
                                id="invoice-notice-no"
                                type="text"
                                inputmode="numeric"
                                autocomplete="off"
                                maxlength="30"
                                bind:value=number
                                aria-invalid=move || number_error.with(Option::is_some).then_some("true")
                                aria-describedby="invoice-notice-no-hint invoice-notice-no-error"
                            />
                            <p class="field-hint" id="invoice-notice-no-hint">{p.invoice_notice_no_hint}</p>
                            <FieldMessage id="invoice-notice-no-error" message=number_message />
                        </div>
                    </div>
                    <div class="filter-actions">
                        <button type="submit" id="invoice-search" class="btn btn-primary">{t.search}</button>
                        <button type="button" id="invoice-reset" class="btn btn-secondary" on:click=reset>
                            {t.reset}
                        </button>
                    </div>
                </form>
            </section>
            <section class="card results" id="invoice-results" aria-live="polite">
                <div class="results-bar">
                    <h2 class="results-title">{t.results}</h2>
                </div>
                {results}
            </section>
        </div>
    }
}

/// The invoices: a table on a wide screen, a card each on a phone.
#[component]
fn InvoiceTable(page: Page<Invoice>) -> impl IntoView {
    let p = pt();
    let headers = [
        p.invoice_actions,
        p.invoice_no,
        p.invoice_kind,
        p.invoice_payment_no,
        p.invoice_amount,
        p.invoice_tax,
        p.invoice_total,
        p.invoice_issued_at,
    ];
    let head = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if (4..=6).contains(&i) { "num" } else { "" };
            view! { <th scope="col" class=class>{*h}</th> }
        })
        .collect_view();
    let shown = page.items.len();
    let more = page.total > shown as u64;
    let rows = page
        .items
        .into_iter()
        .map(|invoice| {
            view! {
                <tr class="invoice-row" data-invoice-no=invoice.invoice_no.clone()>
                    <td data-label=headers[0]><div class="cell">
                        <InvoiceActions invoice=invoice.clone() />
                    </div></td>
                    <td data-label=headers[1]><div class="cell">
                        <span class="code">{invoice.invoice_no.clone()}</span>
                        {invoice.invoice_code.clone().map(|code| view! {
                            <br />
                            <span class="muted small">{format!("{}：{code}", p.invoice_code)}</span>
                        })}
                    </div></td>
                    <td data-label=headers[2]><div class="cell">{invoice.kind_name.clone()}</div></td>
                    <td data-label=headers[3] class="col-code"><div class="cell">
                        <span class="code">{invoice.notice_no.clone()}</span>
                    </div></td>
                    <td data-label=headers[4] class="num"><div class="cell">{invoice.amount.to_string()}</div></td>
                    <td data-label=headers[5] class="num"><div class="cell">{invoice.tax.to_string()}</div></td>
                    <td data-label=headers[6] class="num"><div class="cell">
                        <strong>{invoice.total.to_string()}</strong>
                        <br />
                        <span class="muted small">{invoice.total_in_words.clone()}</span>
                    </div></td>
                    <td data-label=headers[7]><div class="cell">{datetime_text(invoice.issued_at)}</div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted small pay-count">
            {format!("{}{}{}", p.count_prefix, page.total, p.count_unit)}
            {more.then_some(p.only_first)}
        </p>
        <div class="table-wrap" role="region" aria-label=p.invoice_list tabindex="0">
            <table class="data-table cards-on-phone invoice-table">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What 打印 or 下载 of one invoice is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Busy {
    Idle,
    Printing,
    Downloading,
}

/// 打印 (the PDF in a new tab) and 下载 (saved as a file) of one invoice.
#[component]
fn InvoiceActions(invoice: Invoice) -> impl IntoView {
    let t = t();
    let p = pt();
    let auth = use_auth();
    let id = invoice.id;
    let file_name = format!("{}{}.pdf", p.invoice_file_prefix, invoice.invoice_no);
    let busy = RwSignal::new(Busy::Idle);
    let error = RwSignal::new(None::<String>);
    // A blocked pop-up: the PDF is offered as a link instead.
    let fallback = RwSignal::new(None::<String>);

    let idle = move || busy.get() == Busy::Idle;

    let print = move |_| {
        if busy.get_untracked() != Busy::Idle {
            return;
        }
        busy.set(Busy::Printing);
        error.set(None);
        fallback.set(None);
        // The tab opens now, while the click still counts as the user's; the PDF follows.
        let tab = window()
            .open_with_url_and_target("", "_blank")
            .ok()
            .flatten();
        spawn_local(async move {
            let result = auth
                .call(move |c| async move { c.invoice_pdf(id).await })
                .await
                .and_then(|bytes| pdf_url(&bytes));
            match result {
                Ok(url) => {
                    match &tab {
                        Some(tab) if tab.location().set_href(&url).is_ok() => {}
                        _ => {
                            let _ = fallback.try_set(Some(url.clone()));
                        }
                    }
                    set_timeout(
                        move || {
                            let _ = Url::revoke_object_url(&url);
                        },
                        URL_LIFETIME,
                    );
                }
                Err(e) => {
                    if let Some(tab) = &tab {
                        let _ = tab.close();
                    }
                    let _ = error.try_set(Some(e.message));
                }
            }
            let _ = busy.try_set(Busy::Idle);
        });
    };

    let download = move |_| {
        if busy.get_untracked() != Busy::Idle {
            return;
        }
        busy.set(Busy::Downloading);
        error.set(None);
        let file_name = file_name.clone();
        spawn_local(async move {
            let result = auth
                .call(move |c| async move { c.invoice_pdf(id).await })
                .await
                .and_then(|bytes| save_file(&bytes, &file_name, "application/pdf"));
            if let Err(e) = result {
                let _ = error.try_set(Some(e.message));
            }
            let _ = busy.try_set(Busy::Idle);
        });
    };

    view! {
        <span class="row-actions invoice-actions">
            <button
                type="button"
                class="btn-link invoice-print"
                title=p.print_hint
                disabled=move || !idle()
                on:click=print
            >
                {move || if busy.get() == Busy::Printing { p.opening } else { p.print }}
            </button>
            <button
                type="button"
                class="btn-link invoice-download"
                disabled=move || !idle()
                on:click=download
            >
                {move || if busy.get() == Busy::Downloading { t.downloading } else { t.download }}
            </button>
        </span>
        {move || {
            fallback
                .get()
                .map(|url| {
                    view! {
                        <span class="small">
                            {p.popup_blocked}
                            <a href=url target="_blank">{p.open_invoice}</a>
                        </span>
                    }
                })
        }}
        {move || error.get().map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
    }
}
