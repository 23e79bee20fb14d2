//! 企业自助服务 › 网上自助缴费 (manual §5.5): 缴费查询 by 缴款单位名称 and 缴款单编号 (both, as
//! the manual says), the enterprise's own payment notices below it, and 在线支付: a QR code of the
//! chosen provider with its countdown, polled every 2 s until the payment is in (缴费成功) or the
//! code expires (重新生成二维码).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tejian_contract::list::Page;
use tejian_contract::payment::{NewPayment, Payment, PaymentNotice, PaymentNoticeQuery};
use tejian_domain::payment::{NoticeState, PaymentNoticeNo, PaymentState, Provider};
use time::OffsetDateTime;

use crate::auth::{UiError, use_auth};
use crate::components::field::FieldMessage;
use crate::components::pay_texts::pt;
use crate::components::status_change_table::datetime_text;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::status_change_form::today;

/// How many notices one list asks for (an enterprise has a handful a year).
const PER_PAGE: u32 = 100;
/// How often an open QR code's payment is asked about.
const POLL_EVERY: Duration = Duration::from_secs(2);
/// The providers offered, in this order.
const PROVIDERS: [Provider; 3] = [Provider::Sandbox, Provider::Wechat, Provider::Alipay];

/// A server error with its first field's detail as the message (`validation_failed` carries the
/// useful text per field).
fn explained(error: &UiError) -> UiError {
    match error.fields().first() {
        Some(field) => UiError {
            message: field.detail.clone(),
            problem: error.problem.clone(),
        },
        None => error.clone(),
    }
}

/// `¥760.00`.
pub fn yuan(amount: impl std::fmt::Display) -> String {
    format!("{}{amount}", pt().yuan)
}

/// Milliseconds since the epoch, as the browser counts them.
fn epoch_ms(at: OffsetDateTime) -> f64 {
    // Milliseconds of a date in this century fit a f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    ms
}

/// The seconds left until `expires_at` (0 when past).
fn seconds_left(expires_at: OffsetDateTime, now_ms: f64) -> i64 {
    // Whole seconds, rounded up, of a span of minutes.
    #[allow(clippy::cast_possible_truncation)]
    let left = ((epoch_ms(expires_at) - now_ms) / 1000.0).ceil() as i64;
    left.max(0)
}

/// `14 分 05 秒`.
fn countdown_text(seconds: i64) -> String {
    let p = pt();
    format!(
        "{} {} {:02} {}",
        seconds / 60,
        p.minutes,
        seconds % 60,
        p.seconds
    )
}

/// The QR code's SVG as an image source (a data URL, never inserted as markup).
fn qr_src(svg: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(svg).into();
    format!("data:image/svg+xml;utf8,{encoded}")
}

/// 未缴 / 已缴 / 已作废 as a badge.
fn notice_badge(state: NoticeState) -> impl IntoView {
    let class = match state {
        NoticeState::Unpaid => "badge badge-warn",
        NoticeState::Paid => "badge badge-ok",
        NoticeState::Cancelled => "badge badge-muted",
    };
    view! { <span class=class>{state.label_zh()}</span> }
}

/// 网上自助缴费.
#[component]
pub fn OnlinePayment() -> impl IntoView {
    let t = t();
    let p = pt();
    let auth = use_auth();

    let payer = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let payer_error = RwSignal::new(None::<String>);
    let number_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let submitted = RwSignal::new(None::<PaymentNoticeQuery>);
    let paying = RwSignal::new(None::<PaymentNotice>);

    let own = Loader::new(move || async move {
        let query = PaymentNoticeQuery {
            per_page: Some(PER_PAGE),
            ..PaymentNoticeQuery::default()
        };
        auth.call(move |c| async move { c.payment_notices(&query).await })
            .await
    });
    let found = Loader::new(move || {
        let query = submitted.get_untracked();
        async move {
            match query {
                None => Ok(None),
                Some(query) => auth
                    .call(move |c| async move { c.payment_notices(&query).await })
                    .await
                    .map(Some)
                    .map_err(|e| explained(&e)),
            }
        }
    });

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = payer.get_untracked().trim().to_owned();
        let typed = number.get_untracked().trim().to_owned();
        payer_error.set(name.is_empty().then(|| p.need_payer_name.to_owned()));
        let parsed = if typed.is_empty() {
            number_error.set(Some(p.need_notice_no.to_owned()));
            None
        } else {
            match PaymentNoticeNo::parse(&typed) {
                Ok(no) => {
                    number_error.set(None);
                    Some(no)
                }
                Err(e) => {
                    number_error.set(Some(e.to_string()));
                    None
                }
            }
        };
        let (false, Some(no)) = (name.is_empty(), parsed) else {
            form_error.set(Some(
                if name.is_empty() || typed.is_empty() {
                    p.query_needs_both
                } else {
                    t.form_has_errors
                }
                .to_owned(),
            ));
            return;
        };
        form_error.set(None);
        number.set(no.as_str().to_owned());
        submitted.set(Some(PaymentNoticeQuery {
            payer_name: Some(name),
            notice_no: Some(no.as_str().to_owned()),
            page: None,
            per_page: Some(PER_PAGE),
        }));
        found.reload();
    };
    let reset = move |_| {
        payer.set(String::new());
        number.set(String::new());
        payer_error.set(None);
        number_error.set(None);
        form_error.set(None);
        submitted.set(None);
        found.reload();
    };

    let on_pay = Callback::new(move |notice: PaymentNotice| paying.set(Some(notice)));
    let paying_id = Signal::derive(move || paying.with(|n| n.as_ref().map(|n| n.id)));
    let on_paid = Callback::new(move |()| {
        own.reload();
        if submitted.with_untracked(Option::is_some) {
            found.reload();
        }
    });
    let on_close = Callback::new(move |()| paying.set(None));

    let panel = move || {
        paying.get().map(|notice| {
            view! { <PayPanel notice=notice on_paid=on_paid on_close=on_close /> }
        })
    };

    let found_view = move || {
        submitted.with(Option::is_some).then(|| {
            view! {
                <section class="card results" id="pay-found" aria-live="polite">
                    <div class="results-bar">
                        <h2 class="results-title">{t.results}</h2>
                    </div>
                    {move || {
                        found
                            .state
                            .with(|state| match state {
                                Load::Loading => view! { <Loading /> }.into_any(),
                                Load::Failed(e) => view! {
                                    <ErrorBox error=e.clone() on_retry=Callback::new(move |()| found.reload()) />
                                }
                                .into_any(),
                                Load::Ready(Some(page)) if !page.items.is_empty() => view! {
                                    <NoticeList page=page.clone() on_pay=on_pay paying=paying_id />
                                }
                                .into_any(),
                                Load::Ready(_) => view! { <Empty text=p.query_none /> }.into_any(),
                            })
                    }}
                </section>
            }
        })
    };

    let own_view = move || {
        own.state.with(|state| match state {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| own.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                view! { <Empty text=p.own_none /> }.into_any()
            }
            Load::Ready(page) => view! {
                <NoticeList page=page.clone() on_pay=on_pay paying=paying_id />
            }
            .into_any(),
        })
    };

    let payer_message = Signal::derive(move || payer_error.get());
    let number_message = Signal::derive(move || number_error.get());

    view! {
        <div class="stack payments">
            <section class="card">
                <h1 class="page-title">{t.screen_payments}</h1>
                <p class="muted lead-line">{p.pay_intro}</p>
                <form class="filters pay-query" on:submit=search novalidate role="search">
                    {move || {
                        form_error
                            .get()
                            .map(|message| {
                                view! {
                                    <div class="alert alert-error" role="alert" id="pay-query-error">
                                        {message}
                                    </div>
                                }
                            })
                    }}
                    <div class="filter-grid">
                        <div class="field">
                            <label for="pay-payer">{p.payer_name}</label>
                            <input
                                id="pay-payer"
                                type="text"
                                autocomplete="organization"
                                bind:value=payer
                                aria-invalid=move || payer_error.with(Option::is_some).then_some("true")
                                aria-describedby="pay-payer-hint pay-payer-error"
                            />
                            <p class="field-hint" id="pay-payer-hint">{p.payer_name_hint}</p>
                            <FieldMessage id="pay-payer-error" message=payer_message />
                        </div>
                        <div class="field">
                            <label for="pay-notice-no">{p.notice_no}</label>
                            <input
                                id="pay-notice-no"
                                type="text"
                                inputmode="numeric"
                                autocomplete="off"
                                maxlength="30"
                                bind:value=number
                                aria-invalid=move || number_error.with(Option::is_some).then_some("true")
                                aria-describedby="pay-notice-no-hint pay-notice-no-error"
                            />
                            <p class="field-hint" id="pay-notice-no-hint">{p.notice_no_hint}</p>
                            <FieldMessage id="pay-notice-no-error" message=number_message />
                        </div>
                    </div>
                    <div class="filter-actions">
                        <button type="submit" id="pay-search" class="btn btn-primary">{t.search}</button>
                        <button type="button" id="pay-reset" class="btn btn-secondary" on:click=reset>
                            {t.reset}
                        </button>
                    </div>
                </form>
            </section>
            {panel}
            {found_view}
            <section class="card results" id="pay-own" aria-live="polite">
                <div class="results-bar">
                    <h2 class="results-title">{p.own_notices}</h2>
                </div>
                {own_view}
            </section>
        </div>
    }
}

/// Payment notices, one card each: number, payer, amount (and in words), state, due date, items,
/// and 在线支付 for an unpaid one.
#[component]
fn NoticeList(
    page: Page<PaymentNotice>,
    on_pay: Callback<PaymentNotice>,
    #[prop(into)] paying: Signal<Option<i64>>,
) -> impl IntoView {
    let p = pt();
    let today = today();
    let shown = page.items.len();
    let more = page.total > shown as u64;
    let cards = page
        .items
        .into_iter()
        .map(|notice| {
            let id = notice.id;
            let is_unpaid = notice.state == NoticeState::Unpaid;
            let past_due = is_unpaid && today.is_some_and(|d| notice.due_date < d);
            let items = notice
                .items
                .iter()
                .map(|item| {
                    view! {
                        <tr>
                            <td class="pay-item-text">{item.description.clone()}</td>
                            <td class="num">{item.amount.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let action = is_unpaid.then(|| {
                let stored = StoredValue::new(notice.clone());
                let active = move || paying.get() == Some(id);
                view! {
                    <div class="pay-notice-actions">
                        <button
                            type="button"
                            class="btn btn-primary pay-online"
                            disabled=active
                            on:click=move |_| on_pay.run(stored.get_value())
                        >
                            {move || if active() { p.paying_this } else { p.pay_online }}
                        </button>
                    </div>
                }
            });
            view! {
                <li
                    class="pay-notice"
                    class:pay-notice-unpaid=is_unpaid
                    data-notice-no=notice.notice_no.clone()
                    data-state=notice.state.as_str()
                >
                    <div class="pay-notice-head">
                        <span class="pay-notice-no">
                            <span class="muted small">{p.col_notice_no}</span>
                            <span class="code">{notice.notice_no.clone()}</span>
                        </span>
                        {notice_badge(notice.state)}
                    </div>
                    <dl class="pay-facts">
                        <div>
                            <dt>{p.col_payer}</dt>
                            <dd class="pay-payer">{notice.payer_name.clone()}</dd>
                        </div>
                        <div>
                            <dt>{p.col_amount}</dt>
                            <dd>
                                <strong class="pay-total">{yuan(notice.total)}</strong>
                                <span class="muted small pay-words">
                                    {format!("{}：{}", p.col_amount_words, notice.total_in_words)}
                                </span>
                            </dd>
                        </div>
                        <div>
                            <dt>{p.col_state}</dt>
                            <dd>{notice.state_name.clone()}</dd>
                        </div>
                        <div>
                            <dt>{p.col_due_date}</dt>
                            <dd>
                                <span class:text-error=past_due>{notice.due_date.to_string()}</span>
                                {past_due.then(|| view! { <span class="badge badge-error pay-past-due">{p.past_due}</span> })}
                            </dd>
                        </div>
                        <div>
                            <dt>{p.col_issued_at}</dt>
                            <dd>{datetime_text(notice.issued_at)}</dd>
                        </div>
                        {notice.paid_at.map(|at| view! {
                            <div>
                                <dt>{p.col_paid_at}</dt>
                                <dd>{datetime_text(at)}</dd>
                            </div>
                        })}
                    </dl>
                    <table class="pay-items">
                        <caption>{p.items}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{p.col_item}</th>
                                <th scope="col" class="num">{p.col_item_amount}</th>
                            </tr>
                        </thead>
                        <tbody>{items}</tbody>
                    </table>
                    {action}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="muted small pay-count">
            {format!("{}{}{}", p.count_prefix, page.total, p.count_unit)}
            {more.then_some(p.only_first)}
        </p>
        <ul class="pay-notices" aria-label=p.notice_list>{cards}</ul>
    }
}

/// One attempt at paying the notice.
#[derive(Debug, Clone)]
enum Attempt {
    /// Nothing asked yet: choose a provider.
    Idle,
    /// Asking for a QR code.
    Starting,
    /// The server refused (e.g. 409 `provider_unavailable`).
    Refused(UiError),
    /// A QR code (waiting, paid, or over).
    Open(Payment),
}

/// 在线支付 of one notice: the provider, the QR code and its countdown, the outcome.
#[component]
fn PayPanel(notice: PaymentNotice, on_paid: Callback<()>, on_close: Callback<()>) -> impl IntoView {
    let p = pt();
    let auth = use_auth();
    let notice_id = notice.id;

    let provider = RwSignal::new(Provider::Sandbox);
    let attempt = RwSignal::new_local(Attempt::Idle);
    let now_ms = RwSignal::new(js_sys::Date::now());
    let poll_error = RwSignal::new(None::<String>);
    let polling = StoredValue::new(false);
    let reported = StoredValue::new(false);

    // The open payment while it still waits for the payer (not paid, not over, not expired).
    let waiting = Memo::new(move |_| {
        attempt.with(|a| match a {
            Attempt::Open(pay) => {
                !pay.state.is_final() && seconds_left(pay.expires_at, now_ms.get()) > 0
            }
            _ => false,
        })
    });
    let paid = Memo::new(move |_| {
        attempt.with(|a| matches!(a, Attempt::Open(pay) if pay.state == PaymentState::Paid))
    });

    let start = move || {
        if matches!(attempt.get_untracked(), Attempt::Starting) {
            return;
        }
        attempt.set(Attempt::Starting);
        poll_error.set(None);
        let request = NewPayment {
            provider: provider.get_untracked(),
            payer_name: None,
            notice_no: None,
        };
        spawn_local(async move {
            let result = auth
                .call(move |c| async move { c.start_payment(notice_id, &request).await })
                .await;
            let _ = now_ms.try_set(js_sys::Date::now());
            let _ = attempt.try_set(match result {
                Ok(payment) => Attempt::Open(payment),
                Err(e) => Attempt::Refused(explained(&e)),
            });
        });
    };

    let poll = move || {
        if waiting.try_get_untracked() != Some(true) || polling.try_get_value() != Some(false) {
            return;
        }
        let Some(Attempt::Open(open)) = attempt.try_get_untracked() else {
            return;
        };
        polling.set_value(true);
        let client = auth.client();
        spawn_local(async move {
            let result = client.payment_status(&open.out_trade_no).await;
            let _ = polling.try_update_value(|v| *v = false);
            match result {
                Ok(fresh) => {
                    let _ = attempt.try_update(|a| {
                        if let Attempt::Open(current) = a
                            && current.out_trade_no == fresh.out_trade_no
                        {
                            *current = fresh;
                        }
                    });
                    let _ = poll_error.try_set(None);
                }
                Err(e) => {
                    let _ = poll_error.try_set(Some(UiError::from(e).message));
                }
            }
        });
    };

    // The countdown ticks every second; the payment is asked about every 2 s while it waits.
    let ticker = set_interval_with_handle(
        move || {
            let _ = now_ms.try_set(js_sys::Date::now());
        },
        Duration::from_secs(1),
    )
    .ok();
    let poller = set_interval_with_handle(poll, POLL_EVERY).ok();
    on_cleanup(move || {
        for handle in [ticker, poller].into_iter().flatten() {
            handle.clear();
        }
    });

    // Paid: tell the screen once (it reloads its lists).
    Effect::new(move || {
        if paid.get() && !reported.get_value() {
            reported.set_value(true);
            on_paid.run(());
        }
    });

    // Bring the panel into view (the button pressed may be far down the page).
    request_animation_frame(|| {
        if let Some(panel) = document().get_element_by_id("pay-panel") {
            panel.scroll_into_view();
        }
    });

    let providers = move || {
        PROVIDERS
            .iter()
            .map(|&choice| {
                let chosen = move || provider.get() == choice;
                view! {
                    <label class="pay-provider" class:active=chosen>
                        <input
                            type="radio"
                            name="pay-provider"
                            value=choice.as_str()
                            checked=chosen
                            on:change=move |_| provider.set(choice)
                        />
                        <span>{choice.label_zh()}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let chooser = move || {
        let show = !waiting.get() && !paid.get();
        let busy = attempt.with(|a| matches!(a, Attempt::Starting));
        let again = attempt.with(|a| matches!(a, Attempt::Open(_)));
        show.then(|| {
            view! {
                <fieldset class="field pay-providers">
                    <legend>{p.provider}</legend>
                    <div class="pay-provider-list">{providers()}</div>
                    <p class="field-hint">{p.provider_hint}</p>
                </fieldset>
                <div class="form-actions">
                    <button
                        type="button"
                        id="pay-start"
                        class="btn btn-primary"
                        disabled=busy
                        aria-busy=busy.then_some("true")
                        on:click=move |_| start()
                    >
                        {busy.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                        {if busy {
                            p.making_qr
                        } else if again {
                            p.regenerate
                        } else {
                            p.make_qr
                        }}
                    </button>
                </div>
            }
        })
    };

    let outcome = move || {
        let is_waiting = waiting.get();
        attempt.with(|a| match a {
            Attempt::Idle | Attempt::Starting => ().into_any(),
            Attempt::Refused(e) => view! {
                <div class="alert alert-error" role="alert" id="pay-refused">
                    <p class="alert-title">{p.qr_refused}</p>
                    <p>{e.message.clone()}</p>
                </div>
            }
            .into_any(),
            Attempt::Open(pay) if pay.state == PaymentState::Paid => view! {
                <div class="alert alert-success pay-success" role="status" id="pay-success">
                    <p class="alert-title">{p.paid_title}</p>
                    <p>
                        {format!(
                            "{}：{}，{}：{}，{}：{}",
                            p.provider,
                            pay.provider_name,
                            p.pay_amount,
                            yuan(pay.amount),
                            p.col_paid_at,
                            pay.paid_at.map(datetime_text).unwrap_or_default(),
                        )}
                    </p>
                    <p>{p.paid_text}</p>
                </div>
            }
            .into_any(),
            Attempt::Open(pay) if is_waiting => {
                view! { <QrView payment=pay.clone() now_ms=now_ms poll_error=poll_error /> }
                    .into_any()
            }
            Attempt::Open(pay) => {
                let title = if pay.state == PaymentState::Expired || !pay.state.is_final() {
                    p.expired_title
                } else {
                    p.closed_title
                };
                view! {
                    <div class="alert alert-info" role="status" id="pay-expired">
                        <p class="alert-title">{title}</p>
                        <p>{p.expired_text}</p>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="card pay-panel" id="pay-panel" aria-labelledby="pay-panel-title">
            <div class="pay-panel-head">
                <h2 class="section-title" id="pay-panel-title">{p.pay_title}</h2>
                <button type="button" class="btn btn-secondary btn-small" id="pay-close" on:click=move |_| on_close.run(())>
                    {p.close}
                </button>
            </div>
            <dl class="facts pay-summary">
                <div>
                    <dt>{p.col_notice_no}</dt>
                    <dd class="code">{notice.notice_no.clone()}</dd>
                </div>
                <div>
                    <dt>{p.col_payer}</dt>
                    <dd>{notice.payer_name.clone()}</dd>
                </div>
                <div>
                    <dt>{p.col_amount}</dt>
                    <dd>
                        <strong>{yuan(notice.total)}</strong>
                        <span class="muted small pay-words">
                            {format!("{}：{}", p.col_amount_words, notice.total_in_words)}
                        </span>
                    </dd>
                </div>
            </dl>
            {outcome}
            {chooser}
        </section>
    }
}

/// The QR code, the amount and provider, the countdown and, for the sandbox, its payer page.
#[component]
fn QrView(
    payment: Payment,
    now_ms: RwSignal<f64>,
    poll_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = pt();
    let expires_at = payment.expires_at;
    let sandbox_link = (payment.provider == Provider::Sandbox)
        .then_some(payment.qr_text.clone())
        .flatten()
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"));
    view! {
        <div class="pay-qr-box" id="pay-qr">
            <p class="pay-scan">
                {format!("{}{}{}", p.scan_before, payment.provider_name, p.scan_after)}
            </p>
            {payment.qr_svg.as_deref().map(|svg| view! {
                <img class="pay-qr" src=qr_src(svg) alt=p.qr_alt width="220" height="220" />
            })}
            <dl class="pay-qr-facts">
                <div>
                    <dt>{p.pay_amount}</dt>
                    <dd class="pay-qr-amount">{yuan(payment.amount)}</dd>
                </div>
                <div>
                    <dt>{p.provider}</dt>
                    <dd>{payment.provider_name.clone()}</dd>
                </div>
                <div>
                    <dt>{p.expires_in}</dt>
                    <dd>
                        <span class="pay-countdown" role="timer">
                            {move || countdown_text(seconds_left(expires_at, now_ms.get()))}
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>{p.out_trade_no}</dt>
                    <dd class="code small">{payment.out_trade_no.clone()}</dd>
                </div>
            </dl>
            <p class="pay-waiting" role="status">
                <span class="spinner" aria-hidden="true"></span>
                {p.waiting}
            </p>
            {move || {
                poll_error
                    .get()
                    .map(|message| {
                        view! { <p class="field-error">{format!("{}{message}", p.poll_failed)}</p> }
                    })
            }}
            {sandbox_link.map(|url| view! {
                <p class="pay-sandbox">
                    <a id="pay-sandbox-link" href=url target="_blank" rel="noopener">
                        {p.open_sandbox}
                    </a>
                    <span class="muted small">{p.sandbox_note}</span>
                </p>
            })}
        </div>
    }
}
