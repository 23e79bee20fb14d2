use sea_orm::entity::prelude::*;

/// A person who signs in: enterprise user, institute or bureau staff, administrator.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub display_name: String,
    /// `enterprise`, `institute`, `bureau` or `admin`.
    pub role: String,
    pub enterprise_id: Option<i64>,
    /// `admin`, `operator` or `viewer` for enterprise users; `None` for staff.
    pub enterprise_role: Option<String>,
    pub district_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub password_changed_at: Option<TimeDateTimeWithTimeZone>,
    pub last_login_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
