//! 账户信息维护 (manual §7.1): the user's own profile and password.

use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;
use tejian_contract::me::{ChangePassword, EnterpriseRef, Me, UpdateMe};
use tejian_domain::account::password::check_new_password;
use tejian_domain::phone::MobileNumber;
use time::OffsetDateTime;

use super::{Actor, Services};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::store::entity::app_user;
use crate::store::users;

fn me_of(user: &app_user::Model, enterprise: Option<EnterpriseRef>) -> AppResult<Me> {
    let subject = super::auth::subject_of(user)?;
    Ok(Me {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: subject.role,
        enterprise,
        enterprise_role: user.enterprise_role.as_deref().and_then(|r| r.parse().ok()),
        district_code: user.district_code.clone(),
        phone: user.phone.clone(),
        email: user.email.clone(),
        must_change_password: user.must_change_password,
        last_login_at: user.last_login_at,
    })
}

fn profile_json(user: &app_user::Model) -> serde_json::Value {
    json!({ "display_name": user.display_name, "phone": user.phone, "email": user.email })
}

impl Services {
    async fn load_user(&self, actor: &Actor) -> AppResult<app_user::Model> {
        users::find_by_id(&self.db, actor.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)
    }

    /// 当前用户.
    pub async fn me(&self, actor: &Actor) -> AppResult<Me> {
        let user = self.load_user(actor).await?;
        let enterprise = users::enterprise_of(&self.db, &user)
            .await?
            .map(|e| EnterpriseRef {
                id: e.id,
                name: e.name,
                credit_code: e.credit_code,
            });
        me_of(&user, enterprise)
    }

    /// 个人资料: name, mobile and email.
    pub async fn update_me(&self, actor: &Actor, update: UpdateMe) -> AppResult<Me> {
        let phone = match update
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(
                MobileNumber::parse(p)
                    .map_err(|e| AppError::field("/phone", e.code(), e.to_string()))?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        let email = update
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        let display_name = update.display_name.trim().to_owned();
        if display_name.is_empty() {
            return Err(AppError::field("/display_name", "required", "请输入姓名"));
        }
        let user = self.load_user(actor).await?;
        let before = profile_json(&user);
        let txn = self.begin_write().await?;
        let mut active = user.into_active_model();
        active.display_name = Set(display_name);
        active.phone = Set(phone);
        active.email = Set(email);
        active.updated_at = Set(OffsetDateTime::now_utc());
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &updated.username,
                "profile_updated",
                "user",
                updated.id,
            )
            .before(before)
            .after(profile_json(&updated)),
        )
        .await?;
        txn.commit().await?;
        self.me(actor).await
    }

    /// Checks a user's password again before a sensitive change. Wrong answers count towards the
    /// account's login lock, so this is no way around it; a wrong one is a field error at
    /// `pointer`.
    pub(crate) async fn confirm_password(
        &self,
        user: &app_user::Model,
        password: &str,
        pointer: &str,
    ) -> AppResult<()> {
        let keys = vec![format!("user:{}", user.username)];
        let now = OffsetDateTime::now_utc();
        if let Some(until) = users::locked_until(&self.db, &keys, now).await? {
            let secs = u64::try_from((until - now).whole_seconds().max(1)).unwrap_or(1);
            return Err(AppError::LoginLocked {
                retry_after_secs: secs,
                minutes: secs.div_ceil(60),
            });
        }
        let matches = self
            .hasher
            .verify(password.to_owned(), Some(user.password_hash.clone()))
            .await?;
        if !matches {
            let policy = &self.login_policy;
            users::record_failure(
                &self.db,
                &keys[0],
                now,
                time::Duration::try_from(policy.window).unwrap_or(time::Duration::MAX),
                policy.max_failures_per_account,
                time::Duration::try_from(policy.lock_for).unwrap_or(time::Duration::MAX),
            )
            .await?;
            return Err(AppError::field(
                pointer,
                "wrong_current_password",
                "当前密码不正确",
            ));
        }
        Ok(())
    }

    /// 修改密码: needs the current password; the new one must pass the domain's policy. Every other
    /// session of the user ends.
    pub async fn change_password(&self, actor: &Actor, change: ChangePassword) -> AppResult<()> {
        let user = self.load_user(actor).await?;
        self.confirm_password(&user, &change.current_password, "/current_password")
            .await?;
        let keys = [format!("user:{}", user.username)];
        let now = OffsetDateTime::now_utc();
        check_new_password(&change.new_password, &user.username)
            .map_err(|e| AppError::field("/new_password", e.code(), e.to_string()))?;
        if change.new_password == change.current_password {
            return Err(AppError::field(
                "/new_password",
                "password_unchanged",
                "新密码不能与当前密码相同",
            ));
        }
        let hash = self.hasher.hash(change.new_password).await?;
        let txn = self.begin_write().await?;
        let username = user.username.clone();
        let mut active = user.into_active_model();
        active.password_hash = Set(hash);
        active.must_change_password = Set(false);
        active.password_changed_at = Set(Some(now));
        active.updated_at = Set(now);
        active.update(&txn).await?;
        let ended = users::revoke_user_sessions_except(
            &txn,
            actor.user_id,
            Some(&actor.session_family),
            now,
        )
        .await?;
        users::clear_failures(&txn, &keys[0]).await?;
        audit::record(
            &txn,
            Entry::by(actor, &username, "password_changed", "user", actor.user_id)
                .after(json!({ "other_sessions_ended": ended })),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// A temporary password: 12 characters from letters and digits without look-alikes, in groups
/// of four (`Kp7Q-m2Xa-9RtB`), easy to read from an SMS and to type once.
pub(crate) fn temporary_password() -> AppResult<String> {
    const CHARS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    let bytes = super::random_bytes::<12>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(CHARS[usize::from(*b) % CHARS.len()]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

impl Services {
    /// 重置密码 (manual 8.1, institute staff): a random temporary password goes by SMS to the
    /// user (or the enterprise's 安全管理负责人); it must be changed at the next login; every
    /// session of the user ends. Staff never see the password (it is not in the answer, the
    /// audit log or the application log).
    ///
    /// `user` is the user's id (DESIGN's `/users/{id}`) or, for scripts, the user name.
    pub async fn reset_password(&self, actor: &Actor, user: &str) -> AppResult<()> {
        super::equipment_admin::staff_only(actor)?;
        let staff = self.acting_user(actor).await?;
        let user = user.trim();
        let found = match user.parse::<i64>() {
            Ok(id) => users::find_by_id(&self.db, id).await?,
            Err(_) => users::find_by_username(&self.db, user).await?,
        };
        let user = found.ok_or(AppError::NotFound)?;
        if user.role != tejian_domain::Role::Enterprise.as_str() {
            return Err(AppError::Conflict {
                code: "not_an_enterprise_user",
                detail: "只能为企业用户重置密码".to_owned(),
            });
        }
        let recipient = match user.phone.clone() {
            Some(phone) => Some(phone),
            None => match user.enterprise_id {
                Some(id) => crate::store::entity::enterprise::Entity::find_by_id(id)
                    .one(&self.db)
                    .await?
                    .and_then(|e| super::applications::sms_recipient(&e)),
                None => None,
            },
        }
        .ok_or_else(|| AppError::Conflict {
            code: "no_mobile_number",
            detail: "该用户及其单位都没有登记手机号码，无法发送临时密码".to_owned(),
        })?;
        let password = temporary_password()?;
        let hash = self.hasher.hash(password.clone()).await?;
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let user_id = user.id;
        let target = user.username.clone();
        let enterprise_id = user.enterprise_id;
        let mut active = user.into_active_model();
        active.password_hash = Set(hash);
        active.must_change_password = Set(true);
        active.password_changed_at = Set(Some(now));
        active.updated_at = Set(now);
        active.update(&txn).await?;
        let ended = users::revoke_user_sessions_except(&txn, user_id, None, now).await?;
        users::clear_failures(&txn, &format!("user:{target}")).await?;
        crate::outbox::enqueue_sms(
            &txn,
            crate::outbox::Message {
                recipient,
                kind: "password_reset",
                body: format!(
                    "【湖州特检院】您的企业服务平台账号 {target} 的密码已重置，临时密码：{password}，请登录后立即修改。如非本单位申请，请致电 0572-2523106。"
                ),
                dedupe_key: format!("password_reset:{user_id}:{}", now.unix_timestamp_nanos()),
            },
        )
        .await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id,
                ..Entry::by(actor, &staff.username, "password_reset", "user", user_id)
            }
            .after(json!({ "username": target, "sessions_ended": ended })),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
