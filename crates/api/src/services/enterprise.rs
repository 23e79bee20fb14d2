//! 基本信息维护 (manual §6.1): an enterprise keeps its own details current. The name, the
//! 统一社会信用代码 and the district identify it to the bureau and are changed by staff only.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use tejian_contract::enterprise::{EnterpriseDetails, UpdateEnterprise};
use tejian_domain::phone::{ContactPhone, MobileNumber};
use time::OffsetDateTime;

use super::{Actor, Scope, Services};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::store::entity::{district, enterprise};

fn details_json(e: &enterprise::Model) -> serde_json::Value {
    json!({
        "address": e.address, "legal_representative": e.legal_representative,
        "safety_manager": e.safety_manager, "safety_manager_phone": e.safety_manager_phone,
        "contact_phone": e.contact_phone, "email": e.email,
    })
}

/// A free-text field as stored: trimmed, `None` when empty.
fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl Services {
    async fn own_enterprise(&self, actor: &Actor) -> AppResult<enterprise::Model> {
        let Scope::Enterprise(id) = actor.scope() else {
            return Err(AppError::Denied {
                code: "enterprise_user_required",
                detail: "单位信息只对企业用户开放".to_owned(),
            });
        };
        enterprise::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn wire_enterprise(&self, e: enterprise::Model) -> AppResult<EnterpriseDetails> {
        let district_name = district::Entity::find()
            .filter(district::Column::Code.eq(e.district_code.clone()))
            .one(&self.db)
            .await?
            .map_or_else(|| e.district_code.clone(), |d| d.name);
        Ok(EnterpriseDetails {
            id: e.id,
            name: e.name,
            credit_code: e.credit_code,
            unit_type: e.unit_type,
            district_code: e.district_code,
            district_name,
            address: e.address,
            legal_representative: e.legal_representative,
            safety_manager: e.safety_manager,
            safety_manager_phone: e.safety_manager_phone,
            contact_phone: e.contact_phone,
            email: e.email,
            updated_at: e.updated_at,
        })
    }

    /// The signed-in user's enterprise.
    pub async fn enterprise_details(&self, actor: &Actor) -> AppResult<EnterpriseDetails> {
        let e = self.own_enterprise(actor).await?;
        self.wire_enterprise(e).await
    }

    /// 保存单位信息 (enterprise admins). A new 安全管理负责人 mobile, where SMS about inspections,
    /// invoices and notices go, needs the user's password again: whoever holds a signed-in
    /// browser should not be able to redirect them.
    pub async fn update_enterprise(
        &self,
        actor: &Actor,
        update: UpdateEnterprise,
    ) -> AppResult<EnterpriseDetails> {
        actor.require_enterprise_admin()?;
        let safety_manager_phone = match optional(update.safety_manager_phone) {
            Some(p) => Some(
                MobileNumber::parse(&p)
                    .map_err(|e| AppError::field("/safety_manager_phone", e.code(), e.to_string()))?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        let contact_phone = match optional(update.contact_phone) {
            Some(p) => Some(
                ContactPhone::parse(&p)
                    .map_err(|e| AppError::field("/contact_phone", e.code(), e.to_string()))?
                    .to_string(),
            ),
            None => None,
        };
        let address = update.address.trim().to_owned();
        if address.is_empty() {
            return Err(AppError::field("/address", "required", "请输入单位地址"));
        }
        let current = self.own_enterprise(actor).await?;
        let user = self.acting_user(actor).await?;
        if safety_manager_phone != current.safety_manager_phone {
            let password = update.current_password.as_deref().unwrap_or("");
            if password.is_empty() {
                return Err(AppError::field(
                    "/current_password",
                    "password_required",
                    "更换安全管理负责人手机需要输入当前登录密码",
                ));
            }
            self.confirm_password(&user, password, "/current_password")
                .await?;
        }
        let before = details_json(&current);
        let txn = self.begin_write().await?;
        let mut active = current.into_active_model();
        active.address = Set(address);
        active.legal_representative = Set(optional(update.legal_representative));
        active.safety_manager = Set(optional(update.safety_manager));
        active.safety_manager_phone = Set(safety_manager_phone);
        active.contact_phone = Set(contact_phone);
        active.email = Set(optional(update.email));
        active.updated_at = Set(OffsetDateTime::now_utc());
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "enterprise_updated",
                "enterprise",
                updated.id,
            )
            .before(before)
            .after(details_json(&updated)),
        )
        .await?;
        txn.commit().await?;
        self.wire_enterprise(updated).await
    }
}
