use sea_orm::entity::prelude::*;

/// 账号注册申请: an enterprise's online registration (manual §3.1) and its review.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 申请编号, e.g. `ZC20261127-7K3QXP`: given to the applicant, unguessable.
    #[sea_orm(unique)]
    pub reference_no: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub unit_type: String,
    pub name: String,
    pub credit_code: String,
    pub district_code: String,
    pub address: String,
    pub legal_representative: String,
    pub safety_manager: String,
    pub safety_manager_phone: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub email: Option<String>,
    /// The 营业执照 in the file store (the upload is anonymous, so it is no `stored_file`).
    pub licence_key: String,
    pub licence_file_name: String,
    pub licence_content_type: String,
    pub licence_size: i64,
    /// The version of the terms the applicant agreed to.
    pub terms_version: String,
    pub client_addr: Option<String>,
    pub submitted_at: TimeDateTimeWithTimeZone,
    pub reviewer_user_id: Option<i64>,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<TimeDateTimeWithTimeZone>,
    /// The reason of a rejection.
    pub reason: Option<String>,
    /// The enterprise and first user created by the approval.
    pub enterprise_id: Option<i64>,
    pub username: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
