//! OpenAPI schemas for domain enums, built from the domain's own value lists so the spec can never
//! drift from the code.

use tejian_domain::account::{EnterpriseRole, Role};
use tejian_domain::api_token::TokenScope;
use tejian_domain::conversation::{ConversationState, EntryKind, Party};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::Outcome;
use tejian_domain::status_change::{ChangeKind, ChangeState};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};

fn string_enum(description: String, values: Vec<&'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .description(Some(description))
        .enum_values(Some(values))
        .build()
}

fn labelled<'a>(
    pairs: impl Iterator<Item = (&'static str, &'a str)>,
) -> (String, Vec<&'static str>) {
    let mut values = Vec::new();
    let mut lines = Vec::new();
    for (value, label) in pairs {
        values.push(value);
        lines.push(format!("`{value}` {label}"));
    }
    (lines.join("; "), values)
}

/// 角色。
pub fn role() -> Object {
    let (d, v) = labelled(Role::all().iter().map(|r| (r.as_str(), r.label_zh())));
    string_enum(d, v)
}

/// 企业内角色。
pub fn enterprise_role() -> Object {
    let (d, v) = labelled(
        EnterpriseRole::all()
            .iter()
            .map(|r| (r.as_str(), r.label_zh())),
    );
    string_enum(d, v)
}

/// API 令牌权限。
pub fn token_scope() -> Object {
    let (d, v) = labelled(
        [TokenScope::Read, TokenScope::Write]
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 使用状态。
pub fn use_status() -> Object {
    let (d, v) = labelled(UseStatus::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 注册状态。
pub fn registration_status() -> Object {
    let (d, v) = labelled(
        RegistrationStatus::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 检验结论（可空）。
pub fn outcome_opt() -> Object {
    let (d, v) = labelled(Outcome::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 变更类别。
pub fn change_kind() -> Object {
    let (d, v) = labelled(ChangeKind::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 审批状态。
pub fn change_state() -> Object {
    let (d, v) = labelled(
        ChangeState::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 检验类别。
pub fn inspection_type() -> Object {
    use tejian_domain::inspection::InspectionType;
    let (d, v) = labelled(
        InspectionType::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 报检项目受理状态。
pub fn item_state() -> Object {
    use tejian_domain::application::ItemState;
    let (d, v) = labelled(ItemState::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 申报进度。
pub fn progress() -> Object {
    use tejian_domain::application::Progress;
    let mut all = Progress::steps().to_vec();
    all.push(Progress::Rejected);
    let (d, v) = labelled(all.iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 报告状态。
pub fn report_state() -> Object {
    use tejian_domain::report::ReportState;
    let (d, v) = labelled(
        ReportState::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 报告流转操作。
pub fn report_action() -> Object {
    use tejian_domain::report::ReportAction;
    let (d, v) = labelled(
        ReportAction::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 通知书状态。
pub fn notice_state() -> Object {
    use tejian_domain::notice::NoticeState;
    let (d, v) = labelled(
        NoticeState::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 单位类型。
pub fn unit_type() -> Object {
    use tejian_domain::registration::UnitType;
    let (d, v) = labelled(UnitType::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 注册申请审核状态。
pub fn registration_state() -> Object {
    use tejian_domain::registration::RegistrationState;
    let (d, v) = labelled(
        RegistrationState::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 交流状态。
pub fn conversation_state() -> Object {
    let (d, v) = labelled(
        ConversationState::all()
            .iter()
            .map(|s| (s.as_str(), s.label_zh())),
    );
    string_enum(d, v)
}

/// 交流方。
pub fn party() -> Object {
    let (d, v) = labelled(Party::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 交流记录类型。
pub fn entry_kind() -> Object {
    let (d, v) = labelled(EntryKind::all().iter().map(|s| (s.as_str(), s.label_zh())));
    string_enum(d, v)
}

/// 设备列表排序: a field of [`crate::equipment::EQUIPMENT_SORT_FIELDS`], `-` first for descending.
pub fn equipment_sort() -> Object {
    let values: Vec<String> = crate::equipment::EQUIPMENT_SORT_FIELDS
        .iter()
        .flat_map(|f| [(*f).to_owned(), format!("-{f}")])
        .collect();
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .description(Some(
            "排序字段，前加 `-` 为倒序；默认 `next_inspection_date`".to_owned(),
        ))
        .enum_values(Some(values))
        .build()
}

/// 检验年度: `0` for every year, or a year from 1990 to 2100.
pub fn report_year() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, OneOfBuilder, SchemaFormat};
    let integer = || {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
    };
    OneOfBuilder::new()
        .item(integer().enum_values(Some([0])).build())
        .item(integer().minimum(Some(1990)).maximum(Some(2100)).build())
        .description(Some("检验年度（按检验日期），默认今年；`0` 表示全部年度。"))
        .build()
        .into()
}

/// 支付渠道。
pub fn provider() -> Object {
    use tejian_domain::payment::Provider;
    let (d, v) = labelled(
        [Provider::Sandbox, Provider::Wechat, Provider::Alipay]
            .iter()
            .map(|p| (p.as_str(), p.label_zh())),
    );
    string_enum(d, v)
}

/// 到期前提醒天数: at most 5 numbers, each 1–60.
pub fn reminder_marks() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::ArrayBuilder;
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(SchemaType::new(Type::Integer))
                .minimum(Some(1))
                .maximum(Some(60)),
        )
        .max_items(Some(5))
        .description(Some("到期前提醒天数，每个 1–60，最多 5 个"))
        .build()
}
