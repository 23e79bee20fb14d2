//! 设备: the register, always read through the caller's scope.

use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::str::FromStr;
use tejian_contract::equipment::EquipmentSummary;
use tejian_contract::list::{Page, Paging};
use tejian_domain::catalogue;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::Outcome;

use super::{Actor, Scope, Services};
use crate::error::{AppError, AppResult};
use crate::store::entity::equipment;

/// Restricts an equipment query to what `scope` may see. This is where tenant isolation happens.
pub fn scoped(query: Select<equipment::Entity>, scope: &Scope) -> Select<equipment::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(equipment::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => query.filter(equipment::Column::DistrictCode.eq(code.clone())),
        Scope::All => query,
        Scope::Nothing => query.filter(equipment::Column::Id.lt(0)),
    }
}

fn summary(row: equipment::Model) -> AppResult<EquipmentSummary> {
    let bad = |what: &str| AppError::internal(format!("equipment {} has invalid {what}", row.id));
    let use_status = UseStatus::from_str(&row.use_status).map_err(|_| bad("use_status"))?;
    let registration_status = RegistrationStatus::from_str(&row.registration_status)
        .map_err(|_| bad("registration_status"))?;
    let last_outcome = row
        .last_outcome
        .as_deref()
        .map(Outcome::from_str)
        .transpose()
        .map_err(|_| bad("last_outcome"))?;
    let variety_name = catalogue::find(&row.variety_code)
        .map_or_else(|| row.variety_code.clone(), |e| e.name.to_owned());
    Ok(EquipmentSummary {
        id: row.id,
        enterprise_id: row.enterprise_id,
        category_code: row.category_code,
        variety_code: row.variety_code,
        variety_name,
        equipment_code: row.equipment_code,
        registration_code: row.registration_code,
        use_certificate_no: row.use_certificate_no,
        internal_no: row.internal_no,
        install_location: row.install_location,
        district_code: row.district_code,
        use_status,
        registration_status,
        next_inspection_date: row.next_inspection_date,
        last_outcome,
    })
}

impl Services {
    /// 设备列表: the caller's equipment, next inspection first.
    pub async fn equipment_list(
        &self,
        actor: &Actor,
        paging: Paging,
    ) -> AppResult<Page<EquipmentSummary>> {
        let query = scoped(equipment::Entity::find(), &actor.scope());
        let total = query.clone().count(&self.db).await?;
        let rows = query
            .order_by_asc(equipment::Column::NextInspectionDate)
            .order_by_asc(equipment::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let items = rows
            .into_iter()
            .map(summary)
            .collect::<AppResult<Vec<_>>>()?;
        Ok(paging.wrap(items, total))
    }

    /// 单台设备: another enterprise's equipment is "not found", exactly like a missing one.
    pub async fn equipment_get(&self, actor: &Actor, id: i64) -> AppResult<EquipmentSummary> {
        let row = scoped(equipment::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        summary(row)
    }
}
