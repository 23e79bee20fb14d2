//! 账号开通 (manual §3): online registration (3.1) and its review by the institute, and the
//! institute's direct creation of an enterprise from the paper form (3.2).
//!
//! Both paths end in [`Services::open_account`]: in one transaction the enterprise and its first
//! user (the enterprise's admin) are created with a random initial password that must be changed
//! at the first login, and an SMS with the user name and password is queued to the applicant's
//! mobile. The password exists only in that SMS: not in the answer, the audit log or the log.

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::problem::FieldError;
use tejian_contract::registration::{
    AccountApplication, EnterpriseCreated, LicenceFile, Registration, RegistrationQuery,
    RegistrationReceipt, RegistrationTerms,
};
use tejian_domain::credit_code::CreditCode;
use tejian_domain::phone::MobileNumber;
use tejian_domain::registration::{
    MIN_READ_SECONDS, RegistrationState, TERMS_TEXT, TERMS_TITLE, TERMS_VERSION, UnitType,
    username_for,
};
use time::OffsetDateTime;

use super::{Actor, Services, filter_text, local_today};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::files::{clean_file_name, sniff_content_type};
use crate::outbox;
use crate::store::entity::{app_user, district, enterprise, registration};

/// Largest 营业执照 scan accepted (the general upload limit, 10 MB).
pub use tejian_contract::files::MAX_UPLOAD_BYTES as MAX_LICENCE_BYTES;

/// The 营业执照 as uploaded.
#[derive(Debug, Clone)]
pub struct LicenceUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An application whose every field has been checked.
#[derive(Debug, Clone)]
struct ValidApplication {
    unit_type: UnitType,
    name: String,
    credit_code: CreditCode,
    district_code: String,
    address: String,
    legal_representative: String,
    safety_manager: String,
    safety_manager_phone: MobileNumber,
    applicant_name: String,
    applicant_phone: MobileNumber,
    email: Option<String>,
}

fn push(errors: &mut Vec<FieldError>, pointer: &str, code: &str, detail: impl Into<String>) {
    errors.push(FieldError {
        pointer: pointer.to_owned(),
        code: code.to_owned(),
        detail: detail.into(),
    });
}

/// A required text field: trimmed, not empty, at most `max` characters.
fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, label: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        push(
            errors,
            &format!("/{field}"),
            "required",
            format!("请填写{label}"),
        );
    } else if value.chars().count() > max {
        push(
            errors,
            &format!("/{field}"),
            "too_long",
            format!("{label}不能超过 {max} 个字"),
        );
    }
    value.to_owned()
}

fn mobile(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    label: &str,
) -> Option<MobileNumber> {
    if value.trim().is_empty() {
        push(
            errors,
            &format!("/{field}"),
            "required",
            format!("请填写{label}"),
        );
        return None;
    }
    MobileNumber::parse(value)
        .map_err(|e| {
            push(
                errors,
                &format!("/{field}"),
                e.code(),
                format!("{label}：{e}"),
            );
        })
        .ok()
}

/// A plausible e-mail address: one `@`, something before it, a dot in the domain, no spaces.
fn email_ok(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Checks every field, collecting all mistakes (each on its own pointer).
fn check_fields(
    app: &AccountApplication,
    errors: &mut Vec<FieldError>,
) -> Option<ValidApplication> {
    let unit_type = if app.unit_type.trim().is_empty() {
        push(errors, "/unit_type", "required", "请选择单位类型");
        None
    } else {
        UnitType::from_str(app.unit_type.trim())
            .map_err(|e| push(errors, "/unit_type", e.code(), e.to_string()))
            .ok()
    };
    let name = text(errors, "name", &app.name, "单位名称", 200);
    let credit_code = CreditCode::parse(&app.credit_code)
        .map_err(|e| push(errors, "/credit_code", e.code(), e.to_string()))
        .ok();
    let district_code = app.district_code.trim().to_owned();
    if district_code.is_empty() {
        push(errors, "/district_code", "required", "请选择所在区县");
    }
    let address = text(errors, "address", &app.address, "单位地址", 255);
    let legal_representative = text(
        errors,
        "legal_representative",
        &app.legal_representative,
        "法定代表人",
        64,
    );
    let safety_manager = text(
        errors,
        "safety_manager",
        &app.safety_manager,
        "安全管理负责人",
        64,
    );
    let safety_manager_phone = mobile(
        errors,
        "safety_manager_phone",
        &app.safety_manager_phone,
        "安全管理负责人手机",
    );
    let applicant_name = text(errors, "applicant_name", &app.applicant_name, "申请人", 64);
    let applicant_phone = mobile(
        errors,
        "applicant_phone",
        &app.applicant_phone,
        "申请人手机",
    );
    let email = filter_text(app.email.as_deref()).map(str::to_owned);
    if let Some(email) = &email
        && (!email_ok(email) || email.chars().count() > 120)
    {
        push(errors, "/email", "invalid_email", "电子邮箱格式不正确");
    }
    Some(ValidApplication {
        unit_type: unit_type?,
        name,
        credit_code: credit_code?,
        district_code,
        address,
        legal_representative,
        safety_manager,
        safety_manager_phone: safety_manager_phone?,
        applicant_name,
        applicant_phone: applicant_phone?,
        email,
    })
}

/// Checks a 营业执照 upload: present, not empty, PDF / JPEG / PNG by its first bytes.
fn check_licence(
    licence: Option<&LicenceUpload>,
    errors: &mut Vec<FieldError>,
) -> Option<&'static str> {
    let Some(licence) = licence else {
        push(errors, "/licence", "required", "请上传营业执照扫描件或照片");
        return None;
    };
    if licence.bytes.is_empty() {
        push(errors, "/licence", "empty_file", "营业执照文件是空的");
        return None;
    }
    let sniffed = sniff_content_type(&licence.bytes);
    if sniffed.is_none() {
        push(
            errors,
            "/licence",
            "unsupported_file_type",
            "营业执照只接受 PDF、JPEG 或 PNG 文件",
        );
    }
    sniffed
}

fn already_registered() -> AppError {
    AppError::Conflict {
        code: "enterprise_already_registered",
        detail: "该统一社会信用代码的单位已开通平台账号，不能重复注册。如忘记账号或密码，请致电 0572-2523106。"
            .to_owned(),
    }
}

fn registration_pending() -> AppError {
    AppError::Conflict {
        code: "registration_pending",
        detail: "该统一社会信用代码已有待审核的注册申请，请耐心等待审核结果，审核通过后账号和密码将以短信发送至申请人手机。"
            .to_owned(),
    }
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Refuses when an enterprise with this code exists or a registration for it is pending; says
/// nothing else about either.
async fn refuse_duplicates<C: ConnectionTrait>(conn: &C, code: &CreditCode) -> AppResult<()> {
    let registered = enterprise::Entity::find()
        .filter(enterprise::Column::CreditCode.eq(code.as_str()))
        .count(conn)
        .await?;
    if registered > 0 {
        return Err(already_registered());
    }
    let pending = registration::Entity::find()
        .filter(registration::Column::CreditCode.eq(code.as_str()))
        .filter(registration::Column::State.eq(RegistrationState::Pending.as_str()))
        .count(conn)
        .await?;
    if pending > 0 {
        return Err(registration_pending());
    }
    Ok(())
}

fn wire(r: registration::Model, districts: &HashMap<String, String>) -> AppResult<Registration> {
    let bad = |what: &str| AppError::internal(format!("registration {} has invalid {what}", r.id));
    let state = RegistrationState::from_str(&r.state).map_err(|_| bad("state"))?;
    let unit_type = UnitType::from_str(&r.unit_type).map_err(|_| bad("unit_type"))?;
    Ok(Registration {
        id: r.id,
        reference_no: r.reference_no,
        state,
        state_name: state.label_zh().to_owned(),
        unit_type,
        unit_type_name: unit_type.label_zh().to_owned(),
        name: r.name,
        credit_code: r.credit_code,
        district_name: districts.get(&r.district_code).cloned().unwrap_or_default(),
        district_code: r.district_code,
        address: r.address,
        legal_representative: r.legal_representative,
        safety_manager: r.safety_manager,
        safety_manager_phone: r.safety_manager_phone,
        applicant_name: r.applicant_name,
        applicant_phone: r.applicant_phone,
        email: r.email,
        licence: LicenceFile {
            file_name: r.licence_file_name,
            content_type: r.licence_content_type,
            size: u64::try_from(r.licence_size).unwrap_or(0),
        },
        terms_version: r.terms_version,
        submitted_at: r.submitted_at,
        reviewer_name: r.reviewer_name,
        reviewed_at: r.reviewed_at,
        reason: r.reason,
        enterprise_id: r.enterprise_id,
        username: r.username,
    })
}

/// What [`Services::open_account`] created.
struct OpenedAccount {
    enterprise: enterprise::Model,
    username: String,
}

impl Services {
    /// 《湖州市特种设备企业服务平台企业客户服务条款》.
    pub fn registration_terms(&self) -> RegistrationTerms {
        RegistrationTerms {
            title: TERMS_TITLE.to_owned(),
            version: TERMS_VERSION.to_owned(),
            text: TERMS_TEXT.to_owned(),
            min_read_seconds: MIN_READ_SECONDS,
        }
    }

    async fn district_names(&self) -> AppResult<HashMap<String, String>> {
        Ok(district::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect())
    }

    /// Checks the fields (and the district against the reference list); every mistake is
    /// reported at once.
    async fn validate_application(
        &self,
        app: &AccountApplication,
        errors: &mut Vec<FieldError>,
    ) -> AppResult<Option<ValidApplication>> {
        let valid = check_fields(app, errors);
        let district = app.district_code.trim();
        if !district.is_empty()
            && district::Entity::find_by_id(district.to_owned())
                .one(&self.db)
                .await?
                .is_none()
        {
            push(
                errors,
                "/district_code",
                "unknown_district",
                "所在区县不在湖州市辖区列表中",
            );
        }
        Ok(valid)
    }

    /// 网上注册 (manual 3.1): anonymous. Stores the registration as pending with its 营业执照;
    /// nothing is stored when anything is refused.
    pub async fn submit_registration(
        &self,
        app: AccountApplication,
        licence: Option<LicenceUpload>,
        client_addr: Option<String>,
    ) -> AppResult<RegistrationReceipt> {
        let mut errors = Vec::new();
        let valid = self.validate_application(&app, &mut errors).await?;
        let content_type = check_licence(licence.as_ref(), &mut errors);
        match app.terms_version.as_deref().map(str::trim) {
            Some(TERMS_VERSION) => {}
            Some(v) if !v.is_empty() => push(
                &mut errors,
                "/terms_version",
                "terms_outdated",
                "服务条款已更新，请重新阅读并同意",
            ),
            _ => push(
                &mut errors,
                "/terms_version",
                "terms_not_accepted",
                "请先阅读并同意服务条款",
            ),
        }
        let (Some(valid), Some(content_type), Some(licence), true) =
            (valid, content_type, licence, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        if licence.bytes.len() > MAX_LICENCE_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: MAX_LICENCE_BYTES,
            });
        }
        refuse_duplicates(&self.db, &valid.credit_code).await?;

        let entropy = super::random_bytes::<6>()?;
        let reference_no =
            tejian_domain::numbering::registration_reference(local_today(), &entropy);
        let key = format!(
            "licence-{}",
            crate::auth::random_token(18).map_err(AppError::internal)?
        );
        let size = i64::try_from(licence.bytes.len()).unwrap_or(i64::MAX);
        // The bytes go first (a row never points at a missing file); a refusal below removes them.
        self.files
            .put(&key, licence.bytes)
            .await
            .map_err(AppError::internal)?;
        let stored = self
            .insert_registration(
                &valid,
                &reference_no,
                &key,
                &licence.file_name,
                content_type,
                size,
                client_addr,
            )
            .await;
        if stored.is_err()
            && let Err(e) = self.files.remove(&key).await
        {
            tracing::warn!(error = %e, key, "could not remove the licence of a refused registration");
        }
        stored?;
        Ok(RegistrationReceipt {
            reference_no,
            state: RegistrationState::Pending,
            state_name: RegistrationState::Pending.label_zh().to_owned(),
            next_steps: format!(
                "注册申请已提交，等待湖州市特种设备检测研究院审核。审核通过后，平台账号和初始密码将以短信发送至申请人手机 {}；首次登录须修改密码。如未通过，短信会说明原因。咨询电话 0572-2523106。",
                outbox::mask(valid.applicant_phone.as_str())
            ),
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_registration(
        &self,
        valid: &ValidApplication,
        reference_no: &str,
        key: &str,
        file_name: &str,
        content_type: &str,
        size: i64,
        client_addr: Option<String>,
    ) -> AppResult<()> {
        let txn = self.begin_write().await?;
        refuse_duplicates(&txn, &valid.credit_code).await?;
        let row = registration::ActiveModel {
            reference_no: Set(reference_no.to_owned()),
            state: Set(RegistrationState::Pending.as_str().to_owned()),
            unit_type: Set(valid.unit_type.as_str().to_owned()),
            name: Set(valid.name.clone()),
            credit_code: Set(valid.credit_code.as_str().to_owned()),
            district_code: Set(valid.district_code.clone()),
            address: Set(valid.address.clone()),
            legal_representative: Set(valid.legal_representative.clone()),
            safety_manager: Set(valid.safety_manager.clone()),
            safety_manager_phone: Set(valid.safety_manager_phone.as_str().to_owned()),
            applicant_name: Set(valid.applicant_name.clone()),
            applicant_phone: Set(valid.applicant_phone.as_str().to_owned()),
            email: Set(valid.email.clone()),
            licence_key: Set(key.to_owned()),
            licence_file_name: Set(clean_file_name(file_name)),
            licence_content_type: Set(content_type.to_owned()),
            licence_size: Set(size),
            terms_version: Set(TERMS_VERSION.to_owned()),
            client_addr: Set(client_addr.clone()),
            submitted_at: Set(OffsetDateTime::now_utc()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            // Two submissions for one code at the same moment: the partial unique index decides.
            if is_unique_violation(&e) {
                registration_pending()
            } else {
                e.into()
            }
        })?;
        audit::record(
            &txn,
            Entry {
                actor_label: format!("注册申请人 {}", valid.applicant_name),
                action: "registration_submitted",
                entity: "registration",
                entity_id: Some(row.id.to_string()),
                client_addr,
                ..Entry::default()
            }
            .after(json!({
                "reference_no": row.reference_no, "name": row.name, "credit_code": row.credit_code,
                "licence": { "type": row.licence_content_type, "size": row.licence_size },
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Registrations for the institute: filter by state and text, newest first.
    pub async fn registrations(
        &self,
        actor: &Actor,
        query: &RegistrationQuery,
    ) -> AppResult<Page<Registration>> {
        super::equipment_admin::staff_only(actor)?;
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = registration::Entity::find();
        if let Some(state) = query.state {
            select = select.filter(registration::Column::State.eq(state.as_str()));
        }
        if let Some(q) = filter_text(query.q.as_deref()) {
            // `%`, `_` and `\` in the text match themselves (sea-orm's `contains` would pass them
            // on as wildcards: `q=%` listed every application).
            let like = |text: &str| {
                sea_orm::sea_query::LikeExpr::new(super::applications::contains(text)).escape('\\')
            };
            let upper = q.to_ascii_uppercase();
            select = select.filter(
                sea_orm::Condition::any()
                    .add(registration::Column::Name.like(like(q)))
                    .add(registration::Column::CreditCode.like(like(&upper)))
                    .add(registration::Column::ReferenceNo.like(like(&upper)))
                    .add(registration::Column::ApplicantName.like(like(q))),
            );
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(registration::Column::SubmittedAt)
            .order_by_desc(registration::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let districts = self.district_names().await?;
        let items = rows
            .into_iter()
            .map(|r| wire(r, &districts))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(paging.wrap_counted(items, total))
    }

    async fn registration_row(&self, actor: &Actor, id: i64) -> AppResult<registration::Model> {
        super::equipment_admin::staff_only(actor)?;
        registration::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One registration (institute).
    pub async fn registration(&self, actor: &Actor, id: i64) -> AppResult<Registration> {
        let row = self.registration_row(actor, id).await?;
        wire(row, &self.district_names().await?)
    }

    /// The uploaded 营业执照 of a registration (institute): file name, type and bytes.
    pub async fn registration_licence(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(String, String, Vec<u8>)> {
        let row = self.registration_row(actor, id).await?;
        let bytes = self
            .files
            .get(&row.licence_key)
            .await
            .map_err(AppError::internal)?;
        Ok((row.licence_file_name, row.licence_content_type, bytes))
    }

    /// Creates the enterprise and its first user on `txn`, and queues the SMS with the
    /// credentials to the applicant. The caller audits and commits.
    async fn open_account(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        valid: &ValidApplication,
        password_hash: String,
        password: &str,
        dedupe_prefix: &str,
    ) -> AppResult<OpenedAccount> {
        let now = OffsetDateTime::now_utc();
        let exists = enterprise::Entity::find()
            .filter(enterprise::Column::CreditCode.eq(valid.credit_code.as_str()))
            .count(txn)
            .await?;
        if exists > 0 {
            return Err(already_registered());
        }
        let enterprise = enterprise::ActiveModel {
            name: Set(valid.name.clone()),
            credit_code: Set(valid.credit_code.as_str().to_owned()),
            unit_type: Set(valid.unit_type.as_str().to_owned()),
            district_code: Set(valid.district_code.clone()),
            address: Set(valid.address.clone()),
            legal_representative: Set(Some(valid.legal_representative.clone())),
            safety_manager: Set(Some(valid.safety_manager.clone())),
            safety_manager_phone: Set(Some(valid.safety_manager_phone.as_str().to_owned())),
            contact_phone: Set(Some(valid.applicant_phone.as_str().to_owned())),
            email: Set(valid.email.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                already_registered()
            } else {
                e.into()
            }
        })?;
        // The credit code is the user name; someone may (rarely) hold it already.
        let mut username = None;
        for attempt in 0..20 {
            let candidate =
                username_for(&valid.credit_code, attempt).map_err(AppError::internal)?;
            let taken = app_user::Entity::find()
                .filter(app_user::Column::Username.eq(candidate.as_str()))
                .count(txn)
                .await?;
            if taken == 0 {
                username = Some(candidate.as_str().to_owned());
                break;
            }
        }
        let username =
            username.ok_or_else(|| AppError::internal("no free user name for the enterprise"))?;
        app_user::ActiveModel {
            username: Set(username.clone()),
            password_hash: Set(password_hash),
            display_name: Set(valid.applicant_name.clone()),
            role: Set(tejian_domain::Role::Enterprise.as_str().to_owned()),
            enterprise_id: Set(Some(enterprise.id)),
            // The first user administers the enterprise's other users and tokens.
            enterprise_role: Set(Some(
                tejian_domain::account::EnterpriseRole::Admin
                    .as_str()
                    .to_owned(),
            )),
            district_code: Set(None),
            phone: Set(Some(valid.applicant_phone.as_str().to_owned())),
            email: Set(valid.email.clone()),
            must_change_password: Set(true),
            disabled: Set(false),
            password_changed_at: Set(Some(now)),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        outbox::enqueue_sms(
            txn,
            outbox::Message {
                recipient: valid.applicant_phone.as_str().to_owned(),
                kind: "account_opened",
                body: format!(
                    "【湖州特检院】{}的企业服务平台账号已开通。用户名：{username}，初始密码：{password}，首次登录后须修改密码。如有疑问请致电 0572-2523106。",
                    valid.name
                ),
                dedupe_key: format!("{dedupe_prefix}:{}", enterprise.id),
            },
        )
        .await?;
        Ok(OpenedAccount {
            enterprise,
            username,
        })
    }

    /// 审核通过: creates the enterprise and its first account in one transaction; the
    /// credentials go to the applicant by SMS only.
    pub async fn approve_registration(&self, actor: &Actor, id: i64) -> AppResult<Registration> {
        super::equipment_admin::staff_only(actor)?;
        let staff = self.acting_user(actor).await?;
        let password = super::account::temporary_password()?;
        let hash = self.hasher.hash(password.clone()).await?;
        let txn = self.begin_write().await?;
        let row = registration::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = RegistrationState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state.decide(true).map_err(|e| AppError::conflict(&e))?;
        let valid = ValidApplication {
            unit_type: UnitType::from_str(&row.unit_type).map_err(AppError::internal)?,
            name: row.name.clone(),
            credit_code: CreditCode::parse(&row.credit_code).map_err(AppError::internal)?,
            district_code: row.district_code.clone(),
            address: row.address.clone(),
            legal_representative: row.legal_representative.clone(),
            safety_manager: row.safety_manager.clone(),
            safety_manager_phone: MobileNumber::parse(&row.safety_manager_phone)
                .map_err(AppError::internal)?,
            applicant_name: row.applicant_name.clone(),
            applicant_phone: MobileNumber::parse(&row.applicant_phone)
                .map_err(AppError::internal)?,
            email: row.email.clone(),
        };
        let opened = self
            .open_account(&txn, &valid, hash, &password, "registration_approved")
            .await?;
        let now = OffsetDateTime::now_utc();
        let mut active = row.clone().into_active_model();
        active.state = Set(next.as_str().to_owned());
        active.reviewer_user_id = Set(Some(actor.user_id));
        active.reviewer_name = Set(Some(staff.display_name.clone()));
        active.reviewed_at = Set(Some(now));
        active.enterprise_id = Set(Some(opened.enterprise.id));
        active.username = Set(Some(opened.username.clone()));
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(opened.enterprise.id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "registration_approved",
                    "registration",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(json!({
                "state": updated.state, "enterprise_id": opened.enterprise.id,
                "username": opened.username, "sms_to": outbox::mask(valid.applicant_phone.as_str()),
            })),
        )
        .await?;
        txn.commit().await?;
        wire(updated, &self.district_names().await?)
    }

    /// 审核不通过: the reason goes to the applicant by SMS.
    pub async fn reject_registration(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> AppResult<Registration> {
        super::equipment_admin::staff_only(actor)?;
        let reason = reason.trim().to_owned();
        if reason.is_empty() {
            return Err(AppError::field("/reason", "required", "请填写驳回原因"));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = registration::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = RegistrationState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state.decide(false).map_err(|e| AppError::conflict(&e))?;
        let mut active = row.clone().into_active_model();
        active.state = Set(next.as_str().to_owned());
        active.reviewer_user_id = Set(Some(actor.user_id));
        active.reviewer_name = Set(Some(staff.display_name.clone()));
        active.reviewed_at = Set(Some(OffsetDateTime::now_utc()));
        active.reason = Set(Some(reason.clone()));
        let updated = active.update(&txn).await?;
        outbox::enqueue_sms(
            &txn,
            outbox::Message {
                recipient: row.applicant_phone.clone(),
                kind: "registration_rejected",
                body: format!(
                    "【湖州特检院】{}的企业服务平台账号注册申请（编号 {}）未通过审核，原因：{reason}。请按要求修改后重新申请，如有疑问请致电 0572-2523106。",
                    row.name, row.reference_no
                ),
                dedupe_key: format!("registration_rejected:{}", row.id),
            },
        )
        .await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &staff.username,
                "registration_rejected",
                "registration",
                row.id,
            )
            .before(json!({ "state": row.state }))
            .after(json!({ "state": updated.state, "reason": reason })),
        )
        .await?;
        txn.commit().await?;
        wire(updated, &self.district_names().await?)
    }

    /// 线下开户 (manual 3.2): the institute creates an enterprise and its first account from
    /// the paper form. Same checks and refusals as online, no upload.
    pub async fn create_enterprise(
        &self,
        actor: &Actor,
        app: AccountApplication,
    ) -> AppResult<EnterpriseCreated> {
        super::equipment_admin::staff_only(actor)?;
        let mut errors = Vec::new();
        let valid = self.validate_application(&app, &mut errors).await?;
        let Some(valid) = valid.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        refuse_duplicates(&self.db, &valid.credit_code).await?;
        let staff = self.acting_user(actor).await?;
        let password = super::account::temporary_password()?;
        let hash = self.hasher.hash(password.clone()).await?;
        let txn = self.begin_write().await?;
        refuse_duplicates(&txn, &valid.credit_code).await?;
        let opened = self
            .open_account(&txn, &valid, hash, &password, "enterprise_created")
            .await?;
        let sms_sent_to = outbox::mask(valid.applicant_phone.as_str());
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(opened.enterprise.id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "enterprise_created",
                    "enterprise",
                    opened.enterprise.id,
                )
            }
            .after(json!({
                "source": "offline_form", "name": opened.enterprise.name,
                "credit_code": opened.enterprise.credit_code, "username": opened.username,
                "sms_to": sms_sent_to,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(EnterpriseCreated {
            enterprise_id: opened.enterprise.id,
            name: opened.enterprise.name,
            credit_code: opened.enterprise.credit_code,
            username: opened.username,
            sms_sent_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AccountApplication {
        let first17 = "91330502MA2B3C4D5";
        let check = tejian_domain::credit_code::check_char(first17).unwrap();
        AccountApplication {
            unit_type: "use_unit".to_owned(),
            name: "湖州示例机械有限公司".to_owned(),
            credit_code: format!("{first17}{check}"),
            district_code: "330502".to_owned(),
            address: "湖州市吴兴区示例路 1 号".to_owned(),
            legal_representative: "王建国".to_owned(),
            safety_manager: "沈国强".to_owned(),
            safety_manager_phone: "13857201234".to_owned(),
            applicant_name: "钱丽".to_owned(),
            applicant_phone: "139 5720 5678".to_owned(),
            email: None,
            terms_version: Some(TERMS_VERSION.to_owned()),
        }
    }

    #[test]
    fn a_complete_form_passes() {
        let mut errors = Vec::new();
        let valid = check_fields(&sample(), &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(valid.applicant_phone.as_str(), "13957205678");
    }

    #[test]
    fn every_mistake_has_its_pointer() {
        let mut app = AccountApplication {
            email: Some("not-an-email".to_owned()),
            ..AccountApplication::default()
        };
        app.safety_manager_phone = "12345".to_owned();
        let mut errors = Vec::new();
        assert!(check_fields(&app, &mut errors).is_none());
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        for p in [
            "/unit_type",
            "/name",
            "/credit_code",
            "/district_code",
            "/address",
            "/legal_representative",
            "/safety_manager",
            "/safety_manager_phone",
            "/applicant_name",
            "/applicant_phone",
            "/email",
        ] {
            assert!(pointers.contains(&p), "{p} missing in {pointers:?}");
        }
    }

    #[test]
    fn emails() {
        assert!(email_ok("a@b.cn"));
        for bad in ["a", "@b.cn", "a@b", "a@.cn", "a b@c.cn", "a@b@c.cn"] {
            assert!(!email_ok(bad), "{bad}");
        }
    }
}
