//! Typed calls for 基本信息维护, 企业用户, API 令牌 and 操作日志.

use crate::http::Method;
use tejian_contract::enterprise::{EnterpriseDetails, UpdateEnterprise};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::users::{
    ApiToken, AuditEntry, AuditQuery, CreatedApiToken, EnterpriseUser, NewApiToken,
    NewEnterpriseUser, UpdateEnterpriseUser,
};

use crate::{AuthedClient, Result, send_empty};

impl AuthedClient {
    /// 单位信息.
    pub async fn enterprise(&self) -> Result<EnterpriseDetails> {
        self.call(|c| c.request(Method::GET, "/enterprise")).await
    }

    /// 保存单位信息 (enterprise admin).
    pub async fn update_enterprise(&self, update: &UpdateEnterprise) -> Result<EnterpriseDetails> {
        self.call(|c| c.request(Method::PUT, "/enterprise").json(update))
            .await
    }

    /// 企业用户列表 (enterprise admin).
    pub async fn enterprise_users(&self, page: PageQuery) -> Result<Page<EnterpriseUser>> {
        self.call(|c| c.request(Method::GET, "/users").query(&page))
            .await
    }

    /// 新增企业用户 (enterprise admin); the initial password goes by SMS.
    pub async fn create_enterprise_user(&self, new: &NewEnterpriseUser) -> Result<EnterpriseUser> {
        self.call(|c| c.request(Method::POST, "/users").json(new))
            .await
    }

    /// 修改企业用户: role, disabled.
    pub async fn update_enterprise_user(
        &self,
        id: i64,
        update: &UpdateEnterpriseUser,
    ) -> Result<EnterpriseUser> {
        self.call(|c| c.request(Method::PUT, &format!("/users/{id}")).json(update))
            .await
    }

    /// API 令牌列表.
    pub async fn api_tokens(&self, page: PageQuery) -> Result<Page<ApiToken>> {
        self.call(|c| c.request(Method::GET, "/api-tokens").query(&page))
            .await
    }

    /// 新建 API 令牌; the secret is in the answer only.
    pub async fn create_api_token(&self, new: &NewApiToken) -> Result<CreatedApiToken> {
        self.call(|c| c.request(Method::POST, "/api-tokens").json(new))
            .await
    }

    /// 吊销 API 令牌.
    pub async fn revoke_api_token(&self, id: i64) -> Result<()> {
        self.with_refresh(|token| {
            send_empty(
                self.anonymous()
                    .request(Method::DELETE, &format!("/api-tokens/{id}"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 操作日志.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Page<AuditEntry>> {
        self.call(|c| c.request(Method::GET, "/audit").query(query))
            .await
    }
}
