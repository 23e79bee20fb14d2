//! 网上自助缴费 (manual 5.5): payment notices, QR-code payments, provider callbacks applied
//! exactly once, reconciliation of pending payments, and the unlocking of paid reports.

use std::str::FromStr;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use serde_json::json;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::payment::{
    NewPayment, NewPaymentNotice, Payment, PaymentNotice, PaymentNoticeItem, PaymentNoticeQuery,
};
use tejian_domain::application::ItemState;
use tejian_domain::money::Money;
use tejian_domain::payment::{NoticeState, PaymentEvent, PaymentNoticeNo, PaymentState, Provider};
use tejian_payments::{
    NewPayment as ProviderRequest, ProviderError, ProviderPayment, ProviderStatus,
};
use time::{Duration, OffsetDateTime};

use super::applications::equipment_label;
use super::equipment::category_name;
use super::equipment_admin::staff_only;
use super::{Actor, Scope, Services, filter_text, local_today, random_bytes};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::payments::QR_VALID_MINUTES;
use crate::store::entity::{
    application_item, enterprise, inspection_application, payment, payment_notice,
    payment_notice_item, report,
};
use crate::store::lookup;

/// Days to pay when the institute gives no due date.
pub const DEFAULT_DUE_DAYS: i64 = 15;

fn scoped(query: Select<payment_notice::Entity>, scope: &Scope) -> Select<payment_notice::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(payment_notice::Column::EnterpriseId.eq(*id)),
        Scope::All => query,
        Scope::District(_) | Scope::Nothing => query.filter(payment_notice::Column::Id.lt(0)),
    }
}

/// An out_trade_no: `TJ` + 26 random letters and digits (unguessable; the payer's page polls it).
fn out_trade_no() -> AppResult<String> {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    Ok(format!(
        "TJ{}",
        random_bytes::<26>()?
            .iter()
            .map(|b| char::from(CHARS[usize::from(*b) % CHARS.len()]))
            .collect::<String>()
    ))
}

fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

fn wire_payment(row: &payment::Model, notice_no: &str) -> AppResult<Payment> {
    let provider = Provider::from_str(&row.provider).map_err(AppError::internal)?;
    let state = PaymentState::from_str(&row.state).map_err(AppError::internal)?;
    let open = !state.is_final();
    Ok(Payment {
        out_trade_no: row.out_trade_no.clone(),
        notice_no: notice_no.to_owned(),
        provider,
        provider_name: provider.label_zh().to_owned(),
        amount: Money::from_fen(row.amount_fen),
        state,
        state_name: state.label_zh().to_owned(),
        qr_svg: if open {
            row.qr_text.as_deref().and_then(qr_svg)
        } else {
            None
        },
        qr_text: if open { row.qr_text.clone() } else { None },
        expires_at: row.expires_at,
        paid_at: row.paid_at,
    })
}

impl Services {
    async fn wire_payment_notices(
        &self,
        rows: Vec<payment_notice::Model>,
    ) -> AppResult<Vec<PaymentNotice>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let items = payment_notice_item::Entity::find()
            .filter(payment_notice_item::Column::NoticeId.is_in(ids))
            .order_by_asc(payment_notice_item::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|r| {
                let state = NoticeState::from_str(&r.state).map_err(AppError::internal)?;
                let total = Money::from_fen(r.total_fen);
                Ok(PaymentNotice {
                    id: r.id,
                    notice_no: r.notice_no,
                    payer_name: r.payer_name,
                    enterprise_id: r.enterprise_id,
                    total,
                    total_in_words: total.to_capital_words(),
                    state,
                    state_name: state.label_zh().to_owned(),
                    due_date: r.due_date,
                    issued_at: r.issued_at,
                    paid_at: r.paid_at,
                    items: items
                        .iter()
                        .filter(|i| i.notice_id == r.id)
                        .map(|i| PaymentNoticeItem {
                            application_item_id: i.application_item_id,
                            description: i.description.clone(),
                            amount: Money::from_fen(i.amount_fen),
                        })
                        .collect(),
                })
            })
            .collect()
    }

    async fn one_payment_notice(&self, row: payment_notice::Model) -> AppResult<PaymentNotice> {
        self.wire_payment_notices(vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("payment notice vanished"))
    }

    /// 开具缴款通知书 (institute): the approved fees of accepted items of one application that
    /// are not on a live notice yet.
    pub async fn issue_payment_notice(
        &self,
        actor: &Actor,
        request: NewPaymentNotice,
    ) -> AppResult<PaymentNotice> {
        staff_only(actor)?;
        let today = local_today();
        let due_date = request
            .due_date
            .unwrap_or(today + Duration::days(DEFAULT_DUE_DAYS));
        if due_date < today {
            return Err(AppError::field(
                "/due_date",
                "in_past",
                "缴费期限不能早于今天",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let app = inspection_application::Entity::find_by_id(request.application_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let billed = ItemState::all()
            .iter()
            .filter(|s| !matches!(s, ItemState::Pending | ItemState::Rejected))
            .map(|s| s.as_str())
            .collect::<Vec<_>>();
        let mut select = application_item::Entity::find()
            .filter(application_item::Column::ApplicationId.eq(app.id))
            .filter(application_item::Column::State.is_in(billed));
        if !request.item_ids.is_empty() {
            select = select.filter(application_item::Column::Id.is_in(request.item_ids.clone()));
        }
        let items = select.all(&txn).await?;
        // Items already on a notice that is not cancelled are not billed twice.
        let live_notices = payment_notice::Entity::find()
            .select_only()
            .column(payment_notice::Column::Id)
            .filter(payment_notice::Column::State.ne(NoticeState::Cancelled.as_str()));
        let on_notice: Vec<i64> = payment_notice_item::Entity::find()
            .select_only()
            .column(payment_notice_item::Column::ApplicationItemId)
            .filter(
                payment_notice_item::Column::ApplicationItemId.is_in(items.iter().map(|i| i.id)),
            )
            .filter(
                payment_notice_item::Column::NoticeId
                    .in_subquery(sea_orm::QueryTrait::into_query(live_notices)),
            )
            .into_tuple()
            .all(&txn)
            .await?;
        let items: Vec<_> = items
            .into_iter()
            .filter(|i| !on_notice.contains(&i.id))
            .collect();
        if items.is_empty() {
            return Err(AppError::Conflict {
                code: "nothing_to_bill",
                detail: "该申请没有已受理且尚未开具缴款通知书的设备".to_owned(),
            });
        }
        let ent = enterprise::Entity::find_by_id(app.enterprise_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("enterprise of an application vanished"))?;
        let equipment = lookup::equipment_by_id(&txn, items.iter().map(|i| i.equipment_id)).await?;
        let total_fen: i64 = items.iter().map(|i| i.approved_fee_fen.unwrap_or(0)).sum();
        if total_fen <= 0 {
            return Err(AppError::Conflict {
                code: "nothing_to_bill",
                detail: "核定费用合计为零，无需缴费".to_owned(),
            });
        }
        let now = OffsetDateTime::now_utc();
        let placeholder = format!("t{}", hex::encode(random_bytes::<9>()?));
        let row = payment_notice::ActiveModel {
            notice_no: Set(placeholder),
            enterprise_id: Set(ent.id),
            payer_name: Set(ent.name.clone()),
            total_fen: Set(total_fen),
            state: Set(NoticeState::Unpaid.as_str().to_owned()),
            due_date: Set(due_date),
            issued_at: Set(now),
            issued_by_name: Set(staff.display_name.clone()),
            paid_at: Set(None),
            paid_payment_id: Set(None),
            cancel_reason: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let seq = u64::try_from(row.id).map_err(AppError::internal)?;
        let notice_no =
            PaymentNoticeNo::new(today.year(), "330500", seq).map_err(AppError::internal)?;
        let mut a = row.into_active_model();
        a.notice_no = Set(notice_no.as_str().to_owned());
        let row = a.update(&txn).await?;
        for item in &items {
            let label = equipment
                .get(&item.equipment_id)
                .map_or_else(String::new, |e| {
                    format!("{} {}", category_name(&e.variety_code), equipment_label(e))
                });
            payment_notice_item::ActiveModel {
                notice_id: Set(row.id),
                application_item_id: Set(item.id),
                description: Set(format!("检验费 {label}").chars().take(255).collect()),
                amount_fen: Set(item.approved_fee_fen.unwrap_or(0)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        self.notify_enterprise(
            &txn,
            ent.id,
            "payment_notice_issued",
            &format!("payment_notice_issued:{}", row.id),
            &format!(
                "【湖州特检院】缴款通知书 {} 已开具，金额 {} 元，请于 {due_date} 前在企业服务平台「网上自助缴费」扫码缴费。",
                row.notice_no,
                Money::from_fen(total_fen)
            ),
        )
        .await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(ent.id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "payment_notice_issued",
                    "payment_notice",
                    row.id,
                )
            }
            .after(json!({ "notice_no": row.notice_no, "total_fen": total_fen,
                "items": items.iter().map(|i| i.id).collect::<Vec<_>>() })),
        )
        .await?;
        txn.commit().await?;
        self.one_payment_notice(row).await
    }

    /// 作废 (institute): an unpaid notice is cancelled (its items can be billed again); open QR
    /// codes of it are closed at their providers.
    pub async fn cancel_payment_notice(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> AppResult<PaymentNotice> {
        staff_only(actor)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field("/reason", "required", "请填写作废原因"));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = payment_notice::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let next = NoticeState::from_str(&row.state)
            .map_err(AppError::internal)?
            .cancel()
            .map_err(|e| AppError::conflict(&e))?;
        let now = OffsetDateTime::now_utc();
        // Conditional: a payment that lands at the same moment wins, and the cancel is refused.
        let changed = payment_notice::Entity::update_many()
            .col_expr(payment_notice::Column::State, Expr::value(next.as_str()))
            .col_expr(payment_notice::Column::CancelReason, Expr::value(reason))
            .col_expr(payment_notice::Column::UpdatedAt, Expr::value(now))
            .filter(payment_notice::Column::Id.eq(row.id))
            .filter(payment_notice::Column::State.eq(NoticeState::Unpaid.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed != 1 {
            return Err(AppError::Conflict {
                code: "notice_already_paid",
                detail: "该缴款通知书刚刚已缴费，不能作废".to_owned(),
            });
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "payment_notice_cancelled",
                    "payment_notice",
                    row.id,
                )
            }
            .after(json!({ "reason": reason })),
        )
        .await?;
        txn.commit().await?;
        let open = payment::Entity::find()
            .filter(payment::Column::NoticeId.eq(row.id))
            .filter(payment::Column::State.eq(PaymentState::QrIssued.as_str()))
            .all(&self.db)
            .await?;
        for p in open {
            if let Ok(provider) = Provider::from_str(&p.provider)
                && let Some(adapter) = self.providers.get(provider)
                && adapter.close(&p.out_trade_no).await.is_ok()
            {
                payment::Entity::update_many()
                    .col_expr(
                        payment::Column::State,
                        Expr::value(PaymentState::Closed.as_str()),
                    )
                    .col_expr(payment::Column::UpdatedAt, Expr::value(now))
                    .filter(payment::Column::Id.eq(p.id))
                    .filter(payment::Column::State.eq(PaymentState::QrIssued.as_str()))
                    .exec(&self.db)
                    .await?;
            }
        }
        let row = payment_notice::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        self.one_payment_notice(row).await
    }

    /// 缴费查询. Without login both 缴款单位名称 and 缴款通知书编号 are required and must match
    /// exactly (so nobody can list another's notices); a logged-in enterprise sees its own.
    pub async fn payment_notices(
        &self,
        actor: Option<&Actor>,
        query: &PaymentNoticeQuery,
    ) -> AppResult<Page<PaymentNotice>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let payer = filter_text(query.payer_name.as_deref());
        let number = filter_text(query.notice_no.as_deref());
        let mut select = match actor {
            Some(actor) => scoped(payment_notice::Entity::find(), &actor.scope()),
            None => {
                let (Some(_), Some(_)) = (payer, number) else {
                    return Err(AppError::field(
                        "/notice_no",
                        "required",
                        "请同时输入缴款单位名称和缴款通知书编号",
                    ));
                };
                payment_notice::Entity::find()
            }
        };
        if let Some(payer) = payer {
            select = select.filter(payment_notice::Column::PayerName.eq(payer));
        }
        if let Some(number) = number {
            let number = PaymentNoticeNo::parse(number)
                .map_err(|e| AppError::field("/notice_no", e.code(), e.to_string()))?;
            select = select.filter(payment_notice::Column::NoticeNo.eq(number.as_str()));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(payment_notice::Column::IssuedAt)
            .order_by_desc(payment_notice::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_payment_notices(rows).await?, total))
    }

    /// 在线支付: a QR code for the notice. Without login the payer proves it holds the notice
    /// by giving its payer name and number again. An open QR of the same provider is reused.
    pub async fn start_payment(
        &self,
        actor: Option<&Actor>,
        notice_id: i64,
        request: NewPayment,
    ) -> AppResult<Payment> {
        let mut select = payment_notice::Entity::find_by_id(notice_id);
        match actor {
            Some(actor) => select = scoped(select, &actor.scope()),
            None => {
                let (Some(payer), Some(number)) = (
                    filter_text(request.payer_name.as_deref()),
                    filter_text(request.notice_no.as_deref()),
                ) else {
                    return Err(AppError::NotFound);
                };
                select = select
                    .filter(payment_notice::Column::PayerName.eq(payer))
                    .filter(payment_notice::Column::NoticeNo.eq(number.replace([' ', '-'], "")));
            }
        }
        let notice = select.one(&self.db).await?.ok_or(AppError::NotFound)?;
        NoticeState::from_str(&notice.state)
            .map_err(AppError::internal)?
            .check_payable()
            .map_err(|e| AppError::conflict(&e))?;
        let provider = self
            .providers
            .get(request.provider)
            .ok_or_else(|| AppError::Conflict {
                code: "provider_unavailable",
                detail: format!(
                    "暂不支持{}，请选择其他支付方式",
                    request.provider.label_zh()
                ),
            })?;
        let now = OffsetDateTime::now_utc();
        let open = payment::Entity::find()
            .filter(payment::Column::NoticeId.eq(notice.id))
            .filter(payment::Column::Provider.eq(request.provider.as_str()))
            .filter(payment::Column::State.eq(PaymentState::QrIssued.as_str()))
            .filter(payment::Column::ExpiresAt.gt(now + Duration::minutes(2)))
            .one(&self.db)
            .await?;
        if let Some(open) = open {
            return wire_payment(&open, &notice.notice_no);
        }
        let expires_at = now + Duration::minutes(QR_VALID_MINUTES);
        let row = payment::ActiveModel {
            notice_id: Set(notice.id),
            provider: Set(request.provider.as_str().to_owned()),
            out_trade_no: Set(out_trade_no()?),
            amount_fen: Set(notice.total_fen),
            state: Set(PaymentState::Created.as_str().to_owned()),
            qr_text: Set(None),
            expires_at: Set(expires_at),
            transaction_id: Set(None),
            paid_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        let qr = provider
            .create_qr(&ProviderRequest {
                out_trade_no: row.out_trade_no.clone(),
                amount_fen: row.amount_fen,
                description: format!("检验费 缴款通知书 {}", notice.notice_no),
                expires_at,
                notify_url: format!("{}{}", self.providers.notify_base, provider.name()),
            })
            .await;
        let mut a = row.into_active_model();
        a.updated_at = Set(OffsetDateTime::now_utc());
        match qr {
            Ok(qr) => {
                a.state = Set(PaymentState::QrIssued.as_str().to_owned());
                a.qr_text = Set(Some(qr.qr_text));
                a.expires_at = Set(qr.expires_at.min(expires_at));
                let row = a.update(&self.db).await?;
                wire_payment(&row, &notice.notice_no)
            }
            Err(e) => {
                tracing::warn!(error = %e, "payment provider refused a QR code");
                a.state = Set(PaymentState::Failed.as_str().to_owned());
                a.update(&self.db).await?;
                Err(AppError::Conflict {
                    code: "provider_error",
                    detail: "支付渠道暂时不可用，请稍后再试或选择其他支付方式".to_owned(),
                })
            }
        }
    }

    /// 支付状态, by the unguessable out_trade_no (the payer's page polls it).
    pub async fn payment_status(&self, out_trade_no: &str) -> AppResult<Payment> {
        let row = payment::Entity::find()
            .filter(payment::Column::OutTradeNo.eq(out_trade_no))
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let notice = payment_notice::Entity::find_by_id(row.notice_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| AppError::internal("notice of a payment vanished"))?;
        wire_payment(&row, &notice.notice_no)
    }

    /// A provider's callback: the signature is verified before anything else; then merchant,
    /// amount and currency are compared with ours, and the payment and its notice are marked paid
    /// exactly once. Returns whether the callback was accepted (the handler answers the
    /// provider's ack accordingly).
    pub async fn payment_callback(
        &self,
        provider: Provider,
        headers: &[(String, String)],
        body: &[u8],
    ) -> AppResult<bool> {
        let Some(adapter) = self.providers.get(provider) else {
            return Err(AppError::NotFound);
        };
        let event = match adapter.verify_callback(headers, body) {
            Ok(event) => event,
            Err(ProviderError::BadSignature(reason)) => {
                tracing::warn!(provider = provider.as_str(), %reason, "payment callback with a bad signature ignored");
                return Ok(false);
            }
            Err(e) => {
                tracing::warn!(provider = provider.as_str(), error = %e, "unreadable payment callback");
                return Ok(false);
            }
        };
        if event.merchant_id.as_deref() != Some(adapter.merchant_id()) {
            tracing::warn!(
                provider = provider.as_str(),
                "payment callback for another merchant ignored"
            );
            return Ok(false);
        }
        self.apply_provider_payment(provider, &event, "callback")
            .await
    }

    /// Applies what a provider says about one of our payments (from a callback or a query).
    async fn apply_provider_payment(
        &self,
        provider: Provider,
        event: &ProviderPayment,
        via: &'static str,
    ) -> AppResult<bool> {
        // Read outside the transaction; the transaction's first statement is the conditional
        // write below, so concurrent callbacks serialise on it (SQLite would refuse to upgrade a
        // transaction that read first; PostgreSQL re-checks the condition on the locked row).
        let Some(row) = payment::Entity::find()
            .filter(payment::Column::OutTradeNo.eq(event.out_trade_no.clone()))
            .filter(payment::Column::Provider.eq(provider.as_str()))
            .one(&self.db)
            .await?
        else {
            tracing::warn!(out_trade_no = %event.out_trade_no, "callback for an unknown payment");
            return Ok(false);
        };
        let paid = event.status == ProviderStatus::Paid;
        if paid && (event.amount_fen != Some(row.amount_fen) || event.currency != "CNY") {
            tracing::error!(out_trade_no = %row.out_trade_no, ours = row.amount_fen, theirs = ?event.amount_fen,
                currency = %event.currency, "payment amount or currency mismatch: not applied");
            return Ok(false);
        }
        let state = PaymentState::from_str(&row.state).map_err(AppError::internal)?;
        let pay_event = match event.status {
            ProviderStatus::Paid => PaymentEvent::Paid,
            ProviderStatus::Closed => PaymentEvent::Closed,
            ProviderStatus::Failed => PaymentEvent::Failed,
            ProviderStatus::Refunded => PaymentEvent::Refunded,
            ProviderStatus::Pending | ProviderStatus::NotFound => return Ok(true),
        };
        let next = match state.apply(pay_event) {
            Ok(next) => next,
            Err(e) => {
                tracing::warn!(out_trade_no = %row.out_trade_no, error = %e, "payment event not applicable");
                return Ok(true);
            }
        };
        if next == state {
            return Ok(true); // a repeat: already applied
        }
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        // Conditional on the state we read: of two concurrent callbacks only one changes the row.
        let changed = payment::Entity::update_many()
            .col_expr(payment::Column::State, Expr::value(next.as_str()))
            .col_expr(
                payment::Column::TransactionId,
                Expr::value(event.transaction_id.clone()),
            )
            .col_expr(
                payment::Column::PaidAt,
                Expr::value(if paid {
                    Some(event.paid_at.unwrap_or(now))
                } else {
                    None
                }),
            )
            .col_expr(payment::Column::UpdatedAt, Expr::value(now))
            .filter(payment::Column::Id.eq(row.id))
            .filter(payment::Column::State.eq(row.state.clone()))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed != 1 {
            return Ok(true);
        }
        if paid {
            self.mark_notice_paid(&txn, &row, now).await?;
        }
        audit::record(
            &txn,
            Entry {
                actor_label: format!("provider:{}", provider.as_str()),
                action: "payment_state",
                entity: "payment",
                entity_id: Some(row.id.to_string()),
                before: Some(json!({ "state": row.state })),
                after: Some(json!({ "state": next.as_str(), "via": via,
                    "transaction_id": event.transaction_id })),
                ..Entry::default()
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The notice of a paid payment becomes paid (once; a second payment of an already paid
    /// notice is logged for refund), and its reports unlock.
    async fn mark_notice_paid<C: ConnectionTrait>(
        &self,
        conn: &C,
        paid: &payment::Model,
        now: OffsetDateTime,
    ) -> AppResult<()> {
        let changed = payment_notice::Entity::update_many()
            .col_expr(
                payment_notice::Column::State,
                Expr::value(NoticeState::Paid.as_str()),
            )
            .col_expr(payment_notice::Column::PaidAt, Expr::value(now))
            .col_expr(payment_notice::Column::PaidPaymentId, Expr::value(paid.id))
            .col_expr(payment_notice::Column::UpdatedAt, Expr::value(now))
            .filter(payment_notice::Column::Id.eq(paid.notice_id))
            .filter(payment_notice::Column::State.eq(NoticeState::Unpaid.as_str()))
            .exec(conn)
            .await?
            .rows_affected;
        if changed != 1 {
            tracing::error!(
                payment_id = paid.id,
                notice_id = paid.notice_id,
                "a second payment for a notice that is no longer unpaid: refund it"
            );
            return Ok(());
        }
        let item_ids: Vec<i64> = payment_notice_item::Entity::find()
            .select_only()
            .column(payment_notice_item::Column::ApplicationItemId)
            .filter(payment_notice_item::Column::NoticeId.eq(paid.notice_id))
            .into_tuple()
            .all(conn)
            .await?;
        report::Entity::update_many()
            .col_expr(report::Column::FeePaidAt, Expr::value(now))
            .col_expr(report::Column::UpdatedAt, Expr::value(now))
            .filter(report::Column::ApplicationItemId.is_in(item_ids))
            .filter(report::Column::FeePaidAt.is_null())
            .exec(conn)
            .await?;
        if let Some(notice) = payment_notice::Entity::find_by_id(paid.notice_id)
            .one(conn)
            .await?
        {
            self.notify_enterprise(
                conn,
                notice.enterprise_id,
                "payment_received",
                &format!("payment_received:{}", notice.id),
                &format!(
                    "【湖州特检院】缴款通知书 {} 的 {} 元已到账，已出具的检验报告可在企业服务平台下载。",
                    notice.notice_no,
                    Money::from_fen(notice.total_fen)
                ),
            )
            .await?;
        }
        Ok(())
    }

    /// Application item → the number of the live (not cancelled) notice that bills it.
    pub(crate) async fn payment_notice_numbers(
        &self,
        item_ids: impl IntoIterator<Item = i64>,
    ) -> AppResult<std::collections::HashMap<i64, String>> {
        let items = payment_notice_item::Entity::find()
            .filter(payment_notice_item::Column::ApplicationItemId.is_in(item_ids))
            .all(&self.db)
            .await?;
        let notices: std::collections::HashMap<i64, String> = payment_notice::Entity::find()
            .filter(payment_notice::Column::Id.is_in(items.iter().map(|i| i.notice_id)))
            .filter(payment_notice::Column::State.ne(NoticeState::Cancelled.as_str()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.notice_no))
            .collect();
        Ok(items
            .into_iter()
            .filter_map(|i| {
                notices
                    .get(&i.notice_id)
                    .map(|no| (i.application_item_id, no.clone()))
            })
            .collect())
    }

    /// Whether an application item's fee is on a paid notice (a report created later is paid).
    pub(crate) async fn item_paid_at<C: ConnectionTrait>(
        &self,
        conn: &C,
        application_item_id: i64,
    ) -> AppResult<Option<OffsetDateTime>> {
        let notices: Vec<i64> = payment_notice_item::Entity::find()
            .select_only()
            .column(payment_notice_item::Column::NoticeId)
            .filter(payment_notice_item::Column::ApplicationItemId.eq(application_item_id))
            .into_tuple()
            .all(conn)
            .await?;
        Ok(payment_notice::Entity::find()
            .filter(payment_notice::Column::Id.is_in(notices))
            .filter(payment_notice::Column::State.eq(NoticeState::Paid.as_str()))
            .one(conn)
            .await?
            .and_then(|n| n.paid_at))
    }

    /// 对账: asks the providers about payments left waiting, applies what they say, and closes
    /// expired ones. Returns how many payments changed.
    pub async fn reconcile_payments(&self) -> AppResult<u32> {
        let now = OffsetDateTime::now_utc();
        let waiting = payment::Entity::find()
            .filter(payment::Column::State.eq(PaymentState::QrIssued.as_str()))
            .filter(payment::Column::UpdatedAt.lt(now - Duration::seconds(30)))
            .order_by_asc(payment::Column::Id)
            .limit(100)
            .all(&self.db)
            .await?;
        let mut changed = 0;
        for row in waiting {
            let Ok(provider) = Provider::from_str(&row.provider) else {
                continue;
            };
            let Some(adapter) = self.providers.get(provider) else {
                continue;
            };
            match adapter.query(&row.out_trade_no).await {
                Ok(answer) if answer.status == ProviderStatus::Paid => {
                    if self
                        .apply_provider_payment(provider, &answer, "query")
                        .await?
                    {
                        changed += 1;
                    }
                }
                Ok(_) if row.expires_at < now => {
                    if let Err(e) = adapter.close(&row.out_trade_no).await {
                        tracing::warn!(error = %e, out_trade_no = %row.out_trade_no, "close failed; retried later");
                        continue;
                    }
                    let updated = payment::Entity::update_many()
                        .col_expr(
                            payment::Column::State,
                            Expr::value(PaymentState::Expired.as_str()),
                        )
                        .col_expr(payment::Column::UpdatedAt, Expr::value(now))
                        .filter(payment::Column::Id.eq(row.id))
                        .filter(payment::Column::State.eq(PaymentState::QrIssued.as_str()))
                        .exec(&self.db)
                        .await?
                        .rows_affected;
                    changed += u32::try_from(updated).unwrap_or(0);
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, out_trade_no = %row.out_trade_no, "payment query failed")
                }
            }
        }
        Ok(changed)
    }

    /// The sandbox payer confirmed: the sandbox signs a callback and it goes through the same
    /// verification as a real provider's.
    pub async fn sandbox_pay(&self, out_trade_no: &str) -> AppResult<Payment> {
        let signed = self
            .providers
            .sandbox
            .pay(out_trade_no)
            .map_err(|e| AppError::Conflict {
                code: "payment_not_payable",
                detail: format!("无法支付：{e}"),
            })?;
        self.payment_callback(Provider::Sandbox, &signed.headers, &signed.body)
            .await?;
        self.payment_status(out_trade_no).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_numbers_are_long_and_plain() {
        let a = out_trade_no().unwrap();
        assert_eq!(a.len(), 28);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, out_trade_no().unwrap());
    }

    #[test]
    fn qr_codes_render() {
        assert!(
            qr_svg("http://127.0.0.1/sandbox/pay/TJ1")
                .unwrap()
                .contains("<svg")
        );
    }
}
