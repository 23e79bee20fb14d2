use sea_orm::entity::prelude::*;

/// 特种设备: one piece of equipment in an enterprise's register.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "equipment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub category_code: String,
    pub variety_code: String,
    /// 设备代码.
    pub equipment_code: Option<String>,
    /// 注册代码.
    pub registration_code: Option<String>,
    /// 使用登记证编号 (free text: legacy values are kept).
    pub use_certificate_no: Option<String>,
    /// 单位内编号.
    pub internal_no: Option<String>,
    /// 出厂编号.
    pub factory_no: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub manufacture_date: Option<TimeDate>,
    pub commissioning_date: Option<TimeDate>,
    pub install_location: String,
    pub district_code: String,
    pub use_status: String,
    pub registration_status: String,
    pub last_inspection_date: Option<TimeDate>,
    pub next_inspection_date: Option<TimeDate>,
    pub last_outcome: Option<String>,
    /// Per-category parameters (JSON object).
    pub params: Json,
    /// 登记日期.
    pub registration_date: Option<TimeDate>,
    /// The day the use status last changed.
    pub status_changed_on: Option<TimeDate>,
    /// 延期检验日期: an approved deferral of the periodic inspection.
    pub deferred_until: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
