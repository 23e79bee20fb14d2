//! The institute's side of the register: create and edit equipment (检验院), every write audited.

use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;
use std::str::FromStr;

use tejian_contract::equipment::{
    EquipmentDetail, EquipmentFields, EquipmentSaved, NewEquipment, NewInspection,
};
use tejian_contract::problem::FieldError;
use tejian_domain::account::Role;
use tejian_domain::catalogue::CatalogueCode;
use tejian_domain::equipment::params::EquipmentParams;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::equipment_code::EquipmentCode;
use tejian_domain::inspection::schedule::{ScheduleInput, earliest, next_due};
use tejian_domain::inspection::{Conclusion, InspectionType};
use tejian_domain::registration_code::RegistrationCode;
use tejian_domain::use_certificate::UseCertificateNo;
use time::OffsetDateTime;

use super::{Actor, Services};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::store::entity::{district, enterprise, equipment, inspection};

fn field_error(pointer: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.to_owned(),
        code: code.to_owned(),
        detail: detail.into(),
    }
}

fn text(
    value: Option<&String>,
    max: usize,
    pointer: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())?;
    if v.chars().count() > max {
        errors.push(field_error(
            pointer,
            "too_long",
            format!("不超过 {max} 个字"),
        ));
    }
    Some(v)
}

/// Parses an optional code field (empty means absent), recording a problem under `pointer`.
fn optional_code(
    value: Option<&String>,
    pointer: &str,
    parse: impl Fn(&str) -> Result<String, tejian_domain::ParseError>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.map(|s| s.trim()).filter(|s| !s.is_empty())?;
    parse(value)
        .map_err(|e| errors.push(field_error(pointer, e.code(), e.to_string())))
        .ok()
}

/// Fields after checking, ready to store.
#[derive(Clone)]
pub(super) struct Checked {
    variety: CatalogueCode,
    equipment_code: Option<String>,
    registration_code: Option<String>,
    use_certificate_no: Option<String>,
    internal_no: Option<String>,
    factory_no: Option<String>,
    model: Option<String>,
    manufacturer: Option<String>,
    install_location: String,
    use_status: UseStatus,
    registration_status: RegistrationStatus,
    params: serde_json::Value,
    warnings: Vec<FieldError>,
}

/// Checks every field with the domain rules, collecting all problems at once.
pub(super) fn check_fields(fields: &EquipmentFields) -> AppResult<Checked> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let variety = CatalogueCode::parse(&fields.variety_code)
        .map_err(|e| errors.push(field_error("/variety_code", e.code(), e.to_string())))
        .ok();
    let equipment_code = optional_code(
        fields.equipment_code.as_ref(),
        "/equipment_code",
        |c| EquipmentCode::parse(c).map(|x| x.as_str().to_owned()),
        &mut errors,
    );
    let registration_code = optional_code(
        fields.registration_code.as_ref(),
        "/registration_code",
        |c| RegistrationCode::parse(c).map(|x| x.as_str().to_owned()),
        &mut errors,
    );
    let use_certificate_no = fields
        .use_certificate_no
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|c| match UseCertificateNo::parse(c) {
            Ok(no) => {
                for w in no.warnings() {
                    warnings.push(field_error("/use_certificate_no", w.code(), w.to_string()));
                }
                Some(no.as_str().to_owned())
            }
            Err(e) => {
                errors.push(field_error("/use_certificate_no", e.code(), e.to_string()));
                None
            }
        });
    if equipment_code.is_none() && registration_code.is_none() && errors.is_empty() {
        errors.push(field_error(
            "/registration_code",
            "required",
            "注册代码和设备代码至少填写一个",
        ));
    }
    let install_location = fields.install_location.trim().to_owned();
    if install_location.is_empty() {
        errors.push(field_error(
            "/install_location",
            "required",
            "请填写设备使用地点",
        ));
    }
    let internal_no = text(fields.internal_no.as_ref(), 64, "/internal_no", &mut errors);
    let factory_no = text(fields.factory_no.as_ref(), 64, "/factory_no", &mut errors);
    let model = text(fields.model.as_ref(), 128, "/model", &mut errors);
    let manufacturer = text(
        fields.manufacturer.as_ref(),
        200,
        "/manufacturer",
        &mut errors,
    );
    if let (Some(made), Some(used)) = (fields.manufacture_date, fields.commissioning_date)
        && made > used
    {
        errors.push(field_error(
            "/commissioning_date",
            "before_manufacture",
            "投入使用日期不能早于制造日期",
        ));
    }
    let today = OffsetDateTime::now_utc().date();
    for (date, pointer) in [
        (fields.manufacture_date, "/manufacture_date"),
        (fields.commissioning_date, "/commissioning_date"),
        (fields.registration_date, "/registration_date"),
    ] {
        if date.is_some_and(|d| d > today + time::Duration::days(1)) {
            errors.push(field_error(pointer, "in_future", "日期不能晚于今天"));
        }
    }
    if !fields.params.is_object() {
        errors.push(field_error(
            "/params",
            "invalid_parameter",
            "设备参数应为对象",
        ));
    }
    // Stored in canonical form (counts as numbers, yes/no as booleans), however they came in:
    // an import sends every cell as text.
    let mut params = fields.params.clone();
    if let Some(code) = &variety {
        match EquipmentParams::parse(code.as_str(), &fields.params) {
            Ok(parsed) => params = parsed.to_json(),
            Err(problems) => {
                for p in problems {
                    errors.push(field_error(
                        &format!("/params/{}", p.field),
                        p.code,
                        p.message,
                    ));
                }
            }
        }
    }
    match variety {
        Some(variety) if errors.is_empty() => Ok(Checked {
            variety,
            equipment_code,
            registration_code,
            use_certificate_no,
            internal_no,
            factory_no,
            model,
            manufacturer,
            install_location,
            use_status: fields.use_status.unwrap_or(UseStatus::InUse),
            registration_status: fields
                .registration_status
                .unwrap_or(RegistrationStatus::Registered),
            params,
            warnings,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Inserts checked equipment and its audit record on `conn` (the caller's transaction).
pub(super) async fn insert_checked<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    enterprise_id: i64,
    f: &EquipmentFields,
    checked: Checked,
) -> AppResult<equipment::Model> {
    let now = OffsetDateTime::now_utc();
    let row = equipment::ActiveModel {
        enterprise_id: Set(enterprise_id),
        category_code: Set(checked.variety.category().code().to_owned()),
        variety_code: Set(checked.variety.as_str().to_owned()),
        equipment_code: Set(checked.equipment_code),
        registration_code: Set(checked.registration_code),
        use_certificate_no: Set(checked.use_certificate_no),
        internal_no: Set(checked.internal_no),
        factory_no: Set(checked.factory_no),
        model: Set(checked.model),
        manufacturer: Set(checked.manufacturer),
        manufacture_date: Set(f.manufacture_date),
        commissioning_date: Set(f.commissioning_date),
        install_location: Set(checked.install_location),
        district_code: Set(f.district_code.clone()),
        use_status: Set(checked.use_status.as_str().to_owned()),
        registration_status: Set(checked.registration_status.as_str().to_owned()),
        last_inspection_date: Set(None),
        next_inspection_date: Set(f.next_inspection_date),
        last_outcome: Set(None),
        params: Set(checked.params),
        registration_date: Set(f.registration_date),
        status_changed_on: Set(None),
        deferred_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Entry {
            enterprise_id: Some(row.enterprise_id),
            ..Entry::by(
                actor,
                &format!("user:{}", actor.user_id),
                "equipment_created",
                "equipment",
                row.id,
            )
        }
        .after(snapshot(&row)),
    )
    .await?;
    Ok(row)
}

/// Refuses everyone but institute staff and administrators.
pub fn require_staff(actor: &Actor) -> AppResult<()> {
    staff_only(actor)
}

pub(super) fn staff_only(actor: &Actor) -> AppResult<()> {
    match actor.role {
        Role::Institute | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

fn snapshot(e: &equipment::Model) -> serde_json::Value {
    json!({
        "variety_code": e.variety_code, "equipment_code": e.equipment_code, "registration_code": e.registration_code,
        "use_certificate_no": e.use_certificate_no, "internal_no": e.internal_no, "install_location": e.install_location,
        "district_code": e.district_code, "use_status": e.use_status, "registration_status": e.registration_status,
        "next_inspection_date": e.next_inspection_date, "params": e.params,
    })
}

impl Services {
    async fn check_district(&self, code: &str) -> AppResult<()> {
        match district::Entity::find_by_id(code.to_owned())
            .one(&self.db)
            .await?
        {
            Some(_) => Ok(()),
            None => Err(AppError::field(
                "/district_code",
                "unknown_district",
                "未知的辖区代码",
            )),
        }
    }

    /// 新建设备 (institute staff).
    pub async fn create_equipment(
        &self,
        actor: &Actor,
        request: NewEquipment,
    ) -> AppResult<EquipmentSaved> {
        staff_only(actor)?;
        let checked = check_fields(&request.fields)?;
        self.check_district(&request.fields.district_code).await?;
        if enterprise::Entity::find_by_id(request.enterprise_id)
            .one(&self.db)
            .await?
            .is_none()
        {
            return Err(AppError::field(
                "/enterprise_id",
                "unknown_enterprise",
                "使用单位不存在",
            ));
        }
        let txn = self.begin_write().await?;
        let row = insert_checked(
            &txn,
            actor,
            request.enterprise_id,
            &request.fields,
            checked.clone(),
        )
        .await?;
        txn.commit().await?;
        Ok(EquipmentSaved {
            equipment: self.equipment_detail(actor, row.id).await?,
            warnings: checked.warnings,
        })
    }

    /// 修改设备 (institute staff). The enterprise does not change here: a change of user is a
    /// status change (过户).
    pub async fn update_equipment(
        &self,
        actor: &Actor,
        id: i64,
        fields: EquipmentFields,
    ) -> AppResult<EquipmentSaved> {
        staff_only(actor)?;
        let checked = check_fields(&fields)?;
        self.check_district(&fields.district_code).await?;
        let txn = self.begin_write().await?;
        let row = equipment::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let before = snapshot(&row);
        let enterprise_id = row.enterprise_id;
        let mut a = row.into_active_model();
        a.category_code = Set(checked.variety.category().code().to_owned());
        a.variety_code = Set(checked.variety.as_str().to_owned());
        a.equipment_code = Set(checked.equipment_code);
        a.registration_code = Set(checked.registration_code);
        a.use_certificate_no = Set(checked.use_certificate_no);
        a.internal_no = Set(checked.internal_no);
        a.factory_no = Set(checked.factory_no);
        a.model = Set(checked.model);
        a.manufacturer = Set(checked.manufacturer);
        a.manufacture_date = Set(fields.manufacture_date);
        a.commissioning_date = Set(fields.commissioning_date);
        a.registration_date = Set(fields.registration_date);
        a.install_location = Set(checked.install_location);
        a.district_code = Set(fields.district_code.clone());
        a.use_status = Set(checked.use_status.as_str().to_owned());
        a.registration_status = Set(checked.registration_status.as_str().to_owned());
        if fields.next_inspection_date.is_some() {
            a.next_inspection_date = Set(fields.next_inspection_date);
        }
        a.params = Set(checked.params);
        a.updated_at = Set(OffsetDateTime::now_utc());
        let updated = a.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(enterprise_id),
                ..Entry::by(
                    actor,
                    &format!("user:{}", actor.user_id),
                    "equipment_updated",
                    "equipment",
                    id,
                )
            }
            .before(before)
            .after(snapshot(&updated)),
        )
        .await?;
        txn.commit().await?;
        Ok(EquipmentSaved {
            equipment: self.equipment_detail(actor, id).await?,
            warnings: checked.warnings,
        })
    }
}

impl Services {
    /// 录入检验结果 (institute staff): appends the inspection and, when it is the latest, moves
    /// the equipment's last conclusion and next inspection date by the schedule rules. A failed
    /// inspection keeps the old next date: the equipment stays 不合格 until a passed re-inspection.
    pub async fn record_inspection(
        &self,
        actor: &Actor,
        id: i64,
        request: NewInspection,
    ) -> AppResult<EquipmentDetail> {
        staff_only(actor)?;
        let kind = InspectionType::from_str(&request.inspection_type)
            .map_err(|e| AppError::field("/inspection_type", e.code(), e.to_string()))?;
        let conclusion = Conclusion::normalise(&request.conclusion)
            .map_err(|e| AppError::field("/conclusion", e.code(), e.to_string()))?;
        let inspector = request.inspector.trim().to_owned();
        if inspector.is_empty() || inspector.chars().count() > 64 {
            return Err(AppError::field(
                "/inspector",
                "required",
                "请填写检验员（不超过 64 字）",
            ));
        }
        let today = OffsetDateTime::now_utc().date() + time::Duration::days(1);
        if request.inspection_date > today {
            return Err(AppError::field(
                "/inspection_date",
                "in_future",
                "检验日期不能晚于今天",
            ));
        }
        let report_no = request
            .report_no
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        let txn = self.begin_write().await?;
        let eq = equipment::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        apply_inspection(
            &txn,
            actor,
            eq,
            InspectionRecord {
                kind,
                date: request.inspection_date,
                conclusion: &conclusion,
                inspector: &inspector,
                report_no,
            },
        )
        .await?;
        txn.commit().await?;
        self.equipment_detail(actor, id).await
    }
}

/// One inspection to write.
pub(crate) struct InspectionRecord<'a> {
    pub kind: InspectionType,
    pub date: time::Date,
    pub conclusion: &'a Conclusion,
    pub inspector: &'a str,
    pub report_no: Option<String>,
}

/// Writes an inspection and, when it is the latest, moves the equipment's last and next
/// inspection dates by the schedule rules (with an audit record), on `conn` (a transaction).
pub(crate) async fn apply_inspection<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    eq: equipment::Model,
    record: InspectionRecord<'_>,
) -> AppResult<inspection::Model> {
    let id = eq.id;
    let params = EquipmentParams::parse(&eq.variety_code, &eq.params).ok();
    let due = next_due(&ScheduleInput {
        variety: &eq.variety_code,
        commissioning_date: eq.commissioning_date,
        inspection_date: record.date,
        outcome: record.conclusion.outcome,
        params: params.as_ref(),
    });
    let next = earliest(&due);
    let now = OffsetDateTime::now_utc();
    let inserted = inspection::ActiveModel {
        equipment_id: Set(eq.id),
        enterprise_id: Set(eq.enterprise_id),
        inspection_type: Set(record.kind.as_str().to_owned()),
        inspection_date: Set(record.date),
        conclusion_raw: Set(record.conclusion.raw.clone()),
        outcome: Set(record.conclusion.outcome.as_str().to_owned()),
        is_reinspection: Set(record.conclusion.is_reinspection),
        next_inspection_date: Set(next),
        report_no: Set(record.report_no),
        inspector: Set(Some(record.inspector.to_owned())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let latest = eq
        .last_inspection_date
        .is_none_or(|last| record.date >= last);
    if latest {
        let before = snapshot(&eq);
        let enterprise_id = eq.enterprise_id;
        let mut a = eq.into_active_model();
        a.last_inspection_date = Set(Some(record.date));
        a.last_outcome = Set(Some(record.conclusion.outcome.as_str().to_owned()));
        if next.is_some() {
            a.next_inspection_date = Set(next);
            // A new valid date ends any deferral of the old one.
            a.deferred_until = Set(None);
        }
        a.updated_at = Set(now);
        let updated = a.update(conn).await?;
        audit::record(
            conn,
            Entry {
                enterprise_id: Some(enterprise_id),
                ..Entry::by(
                    actor,
                    &format!("user:{}", actor.user_id),
                    "inspection_recorded",
                    "equipment",
                    id,
                )
            }
            .before(before)
            .after(snapshot(&updated)),
        )
        .await?;
    }
    Ok(inserted)
}
