//! Typed calls for the inspection lifecycle (manual 5.1–5.3): fee estimates, applications,
//! reports and opinion notices.

use crate::http::Method;
use serde_json::Value;
use tejian_contract::application::{
    AcceptApplication, Application, ApplicationQuery, NewApplication, RecordInspection,
    RejectApplication, ScheduleApplication,
};
use tejian_contract::list::Page;
use tejian_contract::notice::{NewNotice, Notice, NoticeFeedback, NoticeQuery, NoticeReview};
use tejian_contract::report::{
    Report, ReportQuery, ReportTransition, ReportVerification, VerifyQuery,
};

use crate::{AuthedClient, Client, Result, send, send_bytes};

impl Client {
    /// 报告真伪验证 (public, no login).
    pub async fn verify_report(&self, report_no: &str, code: &str) -> Result<ReportVerification> {
        let query = VerifyQuery {
            report_no: report_no.to_owned(),
            code: code.to_owned(),
        };
        send(
            self.request(Method::GET, "/public/reports/verify")
                .query(&query),
        )
        .await
    }
}

impl AuthedClient {
    /// 计费: the estimate of a fee request (`FeeRequest` JSON).
    pub async fn estimate_fee(&self, request: &Value) -> Result<Value> {
        self.call(|c| c.request(Method::POST, "/fees/estimate").json(request))
            .await
    }

    /// 提交报检; `idempotency_key` makes a retry return the first result.
    pub async fn submit_application(
        &self,
        request: &NewApplication,
        idempotency_key: Option<&str>,
    ) -> Result<Application> {
        self.call(|c| {
            let rb = c
                .request(Method::POST, "/inspection-applications")
                .json(request);
            match idempotency_key {
                Some(key) => rb.header("Idempotency-Key", key),
                None => rb,
            }
        })
        .await
    }

    /// 报检查询.
    pub async fn applications(&self, query: &ApplicationQuery) -> Result<Page<Application>> {
        self.call(|c| {
            c.request(Method::GET, "/inspection-applications")
                .query(query)
        })
        .await
    }

    /// 报检申请详情.
    pub async fn application(&self, id: i64) -> Result<Application> {
        self.call(|c| c.request(Method::GET, &format!("/inspection-applications/{id}")))
            .await
    }

    /// 受理 (institute).
    pub async fn accept_application(
        &self,
        id: i64,
        request: &AcceptApplication,
    ) -> Result<Application> {
        self.call(|c| {
            c.request(
                Method::POST,
                &format!("/inspection-applications/{id}/accept"),
            )
            .json(request)
        })
        .await
    }

    /// 不予受理 (institute).
    pub async fn reject_application(
        &self,
        id: i64,
        request: &RejectApplication,
    ) -> Result<Application> {
        self.call(|c| {
            c.request(
                Method::POST,
                &format!("/inspection-applications/{id}/reject"),
            )
            .json(request)
        })
        .await
    }

    /// 安排检验日期 (institute).
    pub async fn schedule_application(
        &self,
        id: i64,
        request: &ScheduleApplication,
    ) -> Result<Application> {
        self.call(|c| {
            c.request(
                Method::POST,
                &format!("/inspection-applications/{id}/schedule"),
            )
            .json(request)
        })
        .await
    }

    /// 登记检验结果 (institute): creates the report.
    pub async fn record_item_inspection(
        &self,
        id: i64,
        item_id: i64,
        request: &RecordInspection,
    ) -> Result<Report> {
        self.call(|c| {
            c.request(
                Method::POST,
                &format!("/inspection-applications/{id}/items/{item_id}/inspection"),
            )
            .json(request)
        })
        .await
    }

    /// 报告查询.
    pub async fn reports(&self, query: &ReportQuery) -> Result<Page<Report>> {
        self.call(|c| c.request(Method::GET, "/reports").query(query))
            .await
    }

    /// 报告详情.
    pub async fn report(&self, id: i64) -> Result<Report> {
        self.call(|c| c.request(Method::GET, &format!("/reports/{id}")))
            .await
    }

    /// 报告流转 (institute).
    pub async fn transition_report(&self, id: i64, request: &ReportTransition) -> Result<Report> {
        self.call(|c| {
            c.request(Method::POST, &format!("/reports/{id}/transitions"))
                .json(request)
        })
        .await
    }

    /// 标记费用已缴 (institute).
    pub async fn mark_report_paid(&self, id: i64) -> Result<Report> {
        self.call(|c| c.request(Method::POST, &format!("/reports/{id}/fee-paid")))
            .await
    }

    /// 报告下载: the zip holding the PDF.
    pub async fn download_report(&self, id: i64) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, &format!("/reports/{id}/download"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 签发检验意见通知书 (institute).
    pub async fn issue_notice(&self, report_id: i64, request: &NewNotice) -> Result<Notice> {
        self.call(|c| {
            c.request(Method::POST, &format!("/reports/{report_id}/notices"))
                .json(request)
        })
        .await
    }

    /// 检验意见通知书查询.
    pub async fn notices(&self, query: &NoticeQuery) -> Result<Page<Notice>> {
        self.call(|c| c.request(Method::GET, "/notices").query(query))
            .await
    }

    /// 通知书 PDF.
    pub async fn notice_pdf(&self, id: i64) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, &format!("/notices/{id}/pdf"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 提交整改 (enterprise).
    pub async fn notice_feedback(&self, id: i64, request: &NoticeFeedback) -> Result<Notice> {
        self.call(|c| {
            c.request(Method::POST, &format!("/notices/{id}/feedback"))
                .json(request)
        })
        .await
    }

    /// 确认 (`confirm = true`) or 退回 a rectification (institute).
    pub async fn review_notice(
        &self,
        id: i64,
        confirm: bool,
        request: &NoticeReview,
    ) -> Result<Notice> {
        let verb = if confirm { "confirm" } else { "return" };
        self.call(|c| {
            c.request(Method::POST, &format!("/notices/{id}/{verb}"))
                .json(request)
        })
        .await
    }
}
