//! 电子发票 (manual 5.6): issued by a job for every paid payment notice, rendered as a PDF with
//! the same font rules as reports, listed and downloaded by the enterprise.

use std::str::FromStr;

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select, Set,
};
use serde_json::json;
use tejian_contract::invoice::{Invoice, InvoiceQuery};
use tejian_contract::list::{Page, PageQuery};
use tejian_documents::{InvoiceDocument, InvoiceLine};
use tejian_domain::invoice::{InvoiceKind, fiscal_receipt_number, split_tax, tax_invoice_number};
use tejian_domain::money::Money;
use tejian_domain::payment::{NoticeState, PaymentNoticeNo};

use super::{Actor, Scope, Services, filter_text, local_today};
use crate::audit::{self, Entry};
use crate::documents::INSTITUTE_NAME;
use crate::error::{AppError, AppResult};
use crate::store::entity::{enterprise, invoice, payment_notice, payment_notice_item};

/// The institute's 统一社会信用代码 printed as the seller (`TEJIAN_INSTITUTE_CREDIT_CODE`).
pub const DEFAULT_INSTITUTE_CREDIT_CODE: &str = "12330500470000000Y";

fn scoped(query: Select<invoice::Entity>, scope: &Scope) -> Select<invoice::Entity> {
    match scope {
        Scope::Enterprise(id) => {
            let mine = payment_notice::Entity::find()
                .select_only()
                .column(payment_notice::Column::Id)
                .filter(payment_notice::Column::EnterpriseId.eq(*id))
                .into_query();
            query.filter(invoice::Column::PaymentNoticeId.in_subquery(mine))
        }
        Scope::All => query,
        Scope::District(_) | Scope::Nothing => query.filter(invoice::Column::Id.lt(0)),
    }
}

fn kind_name(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::TaxEInvoice => "电子发票（普通发票）",
        InvoiceKind::FiscalReceipt => "财政电子票据",
    }
}

impl Services {
    async fn wire_invoices(&self, rows: Vec<invoice::Model>) -> AppResult<Vec<Invoice>> {
        let notice_ids: Vec<i64> = rows.iter().map(|r| r.payment_notice_id).collect();
        let numbers: std::collections::HashMap<i64, String> = payment_notice::Entity::find()
            .filter(payment_notice::Column::Id.is_in(notice_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.notice_no))
            .collect();
        rows.into_iter()
            .map(|r| {
                let kind = InvoiceKind::from_str(&r.kind).map_err(AppError::internal)?;
                let total = Money::from_fen(r.total_fen);
                Ok(Invoice {
                    id: r.id,
                    kind: kind.as_str().to_owned(),
                    kind_name: kind_name(kind).to_owned(),
                    invoice_no: r.invoice_no,
                    invoice_code: r.invoice_code,
                    notice_no: numbers
                        .get(&r.payment_notice_id)
                        .cloned()
                        .unwrap_or_default(),
                    buyer_name: r.buyer_name,
                    buyer_credit_code: r.buyer_credit_code,
                    amount: Money::from_fen(r.amount_fen),
                    tax: Money::from_fen(r.tax_fen),
                    total,
                    total_in_words: total.to_capital_words(),
                    issued_at: r.issued_at,
                })
            })
            .collect()
    }

    /// The job: an invoice for every paid notice that has none (at most `batch` per pass).
    /// Returns how many were issued.
    pub async fn issue_invoices(&self, batch: u64) -> AppResult<u32> {
        let invoiced = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::PaymentNoticeId)
            .into_query();
        let due = payment_notice::Entity::find()
            .filter(payment_notice::Column::State.eq(NoticeState::Paid.as_str()))
            .filter(payment_notice::Column::Id.not_in_subquery(invoiced))
            .order_by_asc(payment_notice::Column::Id)
            .limit(batch)
            .all(&self.db)
            .await?;
        let mut issued = 0;
        for notice in due {
            match self.issue_invoice(&notice).await {
                Ok(()) => issued += 1,
                Err(e) => {
                    tracing::warn!(notice_id = notice.id, error = %e, "invoice not issued; retried next pass")
                }
            }
        }
        Ok(issued)
    }

    async fn issue_invoice(&self, notice: &payment_notice::Model) -> AppResult<()> {
        let settings = &self.settings;
        let kind = settings.invoice_kind;
        let ent = enterprise::Entity::find_by_id(notice.enterprise_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| AppError::internal("enterprise of a notice vanished"))?;
        let items = payment_notice_item::Entity::find()
            .filter(payment_notice_item::Column::NoticeId.eq(notice.id))
            .order_by_asc(payment_notice_item::Column::Id)
            .all(&self.db)
            .await?;
        let rate = match kind {
            InvoiceKind::TaxEInvoice => settings.invoice_tax_rate,
            InvoiceKind::FiscalReceipt => Decimal::ZERO,
        };
        let rate_label = match kind {
            InvoiceKind::TaxEInvoice => format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize()),
            InvoiceKind::FiscalReceipt => "不征税".to_owned(),
        };
        let mut lines = Vec::new();
        let mut wire_lines = Vec::new();
        let (mut amount_fen, mut tax_fen) = (0_i64, 0_i64);
        for item in &items {
            let (net, tax) =
                split_tax(Money::from_fen(item.amount_fen), rate).map_err(AppError::internal)?;
            amount_fen += net.to_fen();
            tax_fen += tax.to_fen();
            let name = match kind {
                InvoiceKind::TaxEInvoice => format!("*鉴证咨询服务*{}", item.description),
                InvoiceKind::FiscalReceipt => item.description.clone(),
            };
            wire_lines
                .push(json!({ "name": name, "amount_fen": net.to_fen(), "tax_fen": tax.to_fen() }));
            lines.push(InvoiceLine {
                name,
                quantity: "1".to_owned(),
                amount: net.to_string(),
                tax_rate: rate_label.clone(),
                tax: tax.to_string(),
            });
        }
        let total = Money::from_fen(notice.total_fen);
        let today = local_today();
        let seq = u64::try_from(notice.id).map_err(AppError::internal)?;
        let (invoice_no, invoice_code) = match kind {
            InvoiceKind::TaxEInvoice => (
                tax_invoice_number(today.year(), "33", 1, seq).map_err(AppError::internal)?,
                None,
            ),
            InvoiceKind::FiscalReceipt => {
                let (code, no) =
                    fiscal_receipt_number("330500", 1, seq).map_err(AppError::internal)?;
                (no, Some(code))
            }
        };
        let pdf = self
            .documents
            .invoice_pdf(InvoiceDocument {
                title: kind.title_zh().to_owned(),
                invoice_no: invoice_no.clone(),
                invoice_code: invoice_code.clone(),
                issue_date: today,
                buyer_name: ent.name.clone(),
                buyer_credit_code: ent.credit_code.clone(),
                seller_name: INSTITUTE_NAME.to_owned(),
                seller_credit_code: settings.institute_credit_code.clone(),
                items: lines,
                total_amount: Money::from_fen(amount_fen).to_string(),
                total_tax: Money::from_fen(tax_fen).to_string(),
                total: total.to_string(),
                total_in_words: total.to_capital_words(),
                remark: format!("缴款通知书 {}", notice.notice_no),
                issuer: "系统自动开具".to_owned(),
                qr_text: format!(
                    "{}/services/invoices?notice_no={}",
                    self.documents.public_url, notice.notice_no
                ),
            })
            .await?;
        let (key, sha) = self.store_document("invoice", notice.id, pdf).await?;
        // The invoice, its SMS and its audit record commit together: a node killed in between
        // leaves either all three or none (the next pass issues it then).
        let txn = self.begin_write().await?;
        let inserted = invoice::ActiveModel {
            payment_notice_id: Set(notice.id),
            kind: Set(kind.as_str().to_owned()),
            invoice_no: Set(invoice_no.clone()),
            invoice_code: Set(invoice_code),
            buyer_name: Set(ent.name.clone()),
            buyer_credit_code: Set(ent.credit_code.clone()),
            items: Set(json!(wire_lines)),
            amount_fen: Set(amount_fen),
            tax_fen: Set(tax_fen),
            total_fen: Set(notice.total_fen),
            tax_rate: Set(rate.to_string()),
            issued_at: Set(time::OffsetDateTime::now_utc()),
            pdf_key: Set(Some(key)),
            pdf_sha256: Set(Some(sha)),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let row = match inserted {
            Ok(row) => row,
            // Another node issued it first (unique per notice): nothing to do (the transaction
            // rolls back when dropped).
            Err(e) if super::applications::is_unique_violation(&e) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        self.notify_enterprise(
            &txn,
            notice.enterprise_id,
            "invoice_ready",
            &format!("invoice_ready:{}", row.id),
            &format!(
                "【湖州特检院】缴款通知书 {} 的电子发票（{}）已开具，可在企业服务平台「电子发票下载」下载。",
                notice.notice_no, invoice_no
            ),
        )
        .await?;
        audit::record(
            &txn,
            Entry {
                actor_label: "job:invoices".to_owned(),
                action: "invoice_issued",
                entity: "invoice",
                entity_id: Some(row.id.to_string()),
                enterprise_id: Some(notice.enterprise_id),
                after: Some(json!({ "invoice_no": row.invoice_no, "total_fen": row.total_fen })),
                ..Entry::default()
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// 电子发票查询: by 缴款通知书编号, or all of the caller's.
    pub async fn invoices(&self, actor: &Actor, query: &InvoiceQuery) -> AppResult<Page<Invoice>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(invoice::Entity::find(), &actor.scope());
        if let Some(number) = filter_text(query.notice_no.as_deref()) {
            let number = PaymentNoticeNo::parse(number)
                .map_err(|e| AppError::field("/notice_no", e.code(), e.to_string()))?;
            let notices = payment_notice::Entity::find()
                .select_only()
                .column(payment_notice::Column::Id)
                .filter(payment_notice::Column::NoticeNo.eq(number.as_str()))
                .into_query();
            select = select.filter(invoice::Column::PaymentNoticeId.in_subquery(notices));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(invoice::Column::IssuedAt)
            .order_by_desc(invoice::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_invoices(rows).await?, total))
    }

    /// The invoice's PDF: file name and bytes.
    pub async fn invoice_pdf(&self, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
        let row = scoped(invoice::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let pdf = self
            .stored_document(
                "invoice",
                row.id,
                row.pdf_key.as_deref(),
                row.pdf_sha256.as_deref(),
            )
            .await?;
        Ok((format!("发票-{}.pdf", row.invoice_no), pdf))
    }
}
