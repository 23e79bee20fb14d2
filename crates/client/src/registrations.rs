//! Typed calls for 账号开通 (manual §3): terms, online registration, review, offline creation.

use crate::http::Method;
use tejian_contract::list::Page;
use tejian_contract::registration::{
    AccountApplication, EnterpriseCreated, LICENCE_PART, REGISTRATION_PART, Registration,
    RegistrationQuery, RegistrationReceipt, RegistrationTerms, RejectRegistration,
};

use crate::{AuthedClient, Client, Error, Result, send, send_bytes};

impl Client {
    /// 企业客户服务条款.
    pub async fn registration_terms(&self) -> Result<RegistrationTerms> {
        send(self.request(Method::GET, "/registration/terms")).await
    }

    /// 网上注册 (anonymous): the form and the 营业执照 in one multipart request.
    pub async fn submit_registration(
        &self,
        application: &AccountApplication,
        licence_name: &str,
        licence: Vec<u8>,
    ) -> Result<RegistrationReceipt> {
        let json = serde_json::to_string(application).map_err(|e| Error::Decode(e.to_string()))?;
        let json_part = crate::http::multipart::Part::text(json)
            .mime_str("application/json")
            .map_err(|e| Error::Decode(e.to_string()))?;
        let file_part =
            crate::http::multipart::Part::bytes(licence).file_name(licence_name.to_owned());
        let form = crate::http::multipart::Form::new()
            .part(REGISTRATION_PART, json_part)
            .part(LICENCE_PART, file_part);
        send(self.request(Method::POST, "/registrations").multipart(form)).await
    }

    /// 企业服务平台账号申请表 (PDF).
    pub async fn account_application_form(&self) -> Result<Vec<u8>> {
        send_bytes(self.request(Method::GET, "/forms/account-application.pdf")).await
    }
}

impl AuthedClient {
    /// 注册申请列表 (institute).
    pub async fn registrations(&self, query: &RegistrationQuery) -> Result<Page<Registration>> {
        self.call(|c| c.request(Method::GET, "/registrations").query(query))
            .await
    }

    /// 一条注册申请 (institute).
    pub async fn registration(&self, id: i64) -> Result<Registration> {
        self.call(|c| c.request(Method::GET, &format!("/registrations/{id}")))
            .await
    }

    /// 下载营业执照 (institute).
    pub async fn registration_licence(&self, id: i64) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anonymous()
                    .request(Method::GET, &format!("/registrations/{id}/licence"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 审核通过 (institute).
    pub async fn approve_registration(&self, id: i64) -> Result<Registration> {
        self.call(|c| c.request(Method::POST, &format!("/registrations/{id}/approve")))
            .await
    }

    /// 审核不通过 (institute); the reason is required and sent to the applicant.
    pub async fn reject_registration(&self, id: i64, reason: &str) -> Result<Registration> {
        let body = RejectRegistration {
            reason: reason.to_owned(),
        };
        self.call(|c| {
            c.request(Method::POST, &format!("/registrations/{id}/reject"))
                .json(&body)
        })
        .await
    }

    /// 线下开户 (institute).
    pub async fn create_enterprise(
        &self,
        application: &AccountApplication,
    ) -> Result<EnterpriseCreated> {
        self.call(|c| c.request(Method::POST, "/enterprises").json(application))
            .await
    }
}
