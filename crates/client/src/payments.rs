//! Typed calls for 网上自助缴费 (manual 5.5).

use crate::http::Method;
use tejian_contract::invoice::{Invoice, InvoiceQuery};
use tejian_contract::list::Page;
use tejian_contract::payment::{
    NewPayment, NewPaymentNotice, Payment, PaymentNotice, PaymentNoticeQuery,
};

use crate::{AuthedClient, Client, Result, send, send_bytes, send_empty};

impl Client {
    /// 缴费查询 without login: both the payer name and the notice number are required.
    pub async fn find_payment_notices(
        &self,
        query: &PaymentNoticeQuery,
    ) -> Result<Page<PaymentNotice>> {
        send(self.request(Method::GET, "/payment-notices").query(query)).await
    }

    /// 在线支付 without login (the request repeats the payer name and notice number).
    pub async fn start_payment(&self, notice_id: i64, request: &NewPayment) -> Result<Payment> {
        send(
            self.request(
                Method::POST,
                &format!("/payment-notices/{notice_id}/payments"),
            )
            .json(request),
        )
        .await
    }

    /// 支付状态 by the payment's out_trade_no.
    pub async fn payment_status(&self, out_trade_no: &str) -> Result<Payment> {
        send(self.request(Method::GET, &format!("/payments/{out_trade_no}"))).await
    }
}

impl AuthedClient {
    /// 开具缴款通知书 (institute).
    pub async fn issue_payment_notice(&self, request: &NewPaymentNotice) -> Result<PaymentNotice> {
        self.call(|c| c.request(Method::POST, "/payment-notices").json(request))
            .await
    }

    /// 作废缴款通知书 (institute).
    pub async fn cancel_payment_notice(&self, id: i64, reason: &str) -> Result<PaymentNotice> {
        let body = tejian_contract::payment::CancelPaymentNotice {
            reason: reason.to_owned(),
        };
        self.call(|c| {
            c.request(Method::POST, &format!("/payment-notices/{id}/cancel"))
                .json(&body)
        })
        .await
    }

    /// 缴费查询 of a signed-in user (an enterprise sees its own notices).
    pub async fn payment_notices(&self, query: &PaymentNoticeQuery) -> Result<Page<PaymentNotice>> {
        self.call(|c| c.request(Method::GET, "/payment-notices").query(query))
            .await
    }

    /// 在线支付 as the signed-in user.
    pub async fn start_payment(&self, notice_id: i64, request: &NewPayment) -> Result<Payment> {
        self.call(|c| {
            c.request(
                Method::POST,
                &format!("/payment-notices/{notice_id}/payments"),
            )
            .json(request)
        })
        .await
    }

    /// 电子发票查询.
    pub async fn invoices(&self, query: &InvoiceQuery) -> Result<Page<Invoice>> {
        self.call(|c| c.request(Method::GET, "/invoices").query(query))
            .await
    }

    /// 电子发票 PDF.
    pub async fn invoice_pdf(&self, id: i64) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, &format!("/invoices/{id}/pdf"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 重置企业用户密码 (institute): the temporary password goes by SMS, never to the caller.
    pub async fn reset_password(&self, username: &str) -> Result<()> {
        self.with_refresh(|token| {
            send_empty(
                self.anon
                    .request(Method::POST, &format!("/users/{username}/password-reset"))
                    .bearer_auth(token),
            )
        })
        .await
    }
}
