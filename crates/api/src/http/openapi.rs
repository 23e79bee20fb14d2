//! The OpenAPI document, generated from the handlers. `openapi/openapi.json` is this document;
//! a test fails when the two differ (`cargo xtask openapi` rewrites the file).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use tejian_contract::{
    application, auth, conversation, enterprise, equipment, files, invoice, list, me, notice,
    notification, payment, problem, reference, registration, report, status_change, system, users,
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".to_owned());
        http.description = Some(
            "访问令牌：`POST /api/v1/auth/login` 返回的 `access_token`，有效期见 `expires_in`；\
             或单位管理员创建的 API 令牌 `tjk_…`（`POST /api/v1/api-tokens`）。"
                .to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The answers any operation can give besides its own, added where an operation does not
/// describe them itself, so a client (and schemathesis) finds every status in the spec:
/// 400 unreadable request, 401/403 for operations with a token, 404 for those with path
/// parameters, 422 for those with input, 500 and 503.
struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            for op in [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                no_nul_in_query_text(op);
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_input = op.request_body.is_some()
                    || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut add = |status: &str, description: &str| {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(description).into());
                };
                add("400", "请求格式错误（无法解析的请求体或查询参数）");
                if secured {
                    add("401", "未登录或令牌无效、已过期");
                    add("403", "无权执行此操作");
                }
                if path.contains('{') {
                    add("404", "对象不存在或无权访问");
                }
                if has_input {
                    add("422", "提交的数据有误（见 errors）");
                }
                add("500", "服务器内部错误");
                add("503", "服务暂时不可用（数据库不可用）");
            }
        }
    }
}

/// Free-text query parameters say what the server refuses: a NUL character (`%00` is 400
/// `invalid_query`, see `middleware::guard_input`).
fn no_nul_in_query_text(op: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, path::ParameterIn};
    for parameter in op.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        if !matches!(parameter.parameter_in, ParameterIn::Query) {
            continue;
        }
        if let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
            && object.schema_type == SchemaType::Type(Type::String)
            && object.enum_values.is_none()
            && object.format.is_none()
            && object.pattern.is_none()
        {
            object.pattern = Some("^[^\\u0000]*$".to_owned());
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tejian 特种设备企业服务平台 API",
        description = "湖州市特种设备企业服务平台的 REST API。\n\n\
约定：路径前缀 `/api/v1`；JSON 输入输出；日期为 ISO 8601；金额为两位小数的字符串（元）。\
错误统一为 RFC 9457 `application/problem+json`，含稳定的 `code` 和中文 `title`/`detail`，校验错误另有 \
`errors: [{pointer, code, detail}]`。列表使用 `?page=&per_page=`（默认 20，最大 200），返回 \
`{items, total, page, per_page}`。其他单位的对象与不存在的对象一样返回 404。",
        license(name = "Apache-2.0"),
    ),
    modifiers(&BearerAuth, &StandardResponses),
    paths(
        super::auth::login,
        super::auth::refresh,
        super::auth::logout,
        super::me::get_me,
        super::me::update_me,
        super::me::change_password,
        super::me::reset_password,
        super::enterprise::get_enterprise,
        super::enterprise::update_enterprise,
        super::enterprise::list_users,
        super::enterprise::create_user,
        super::enterprise::update_user,
        super::enterprise::list_tokens,
        super::enterprise::create_token,
        super::enterprise::revoke_token,
        super::enterprise::audit,
        super::reference::categories,
        super::reference::districts,
        super::reference::bureaus,
        super::reference::offices,
        super::equipment::list,
        super::equipment::overview,
        super::equipment::get,
        super::equipment::timeline,
        super::equipment::create,
        super::equipment::update,
        super::equipment::record_inspection,
        super::equipment::import_template,
        super::equipment::import_handler,
        super::status_changes::submit,
        super::status_changes::history,
        super::status_changes::list,
        super::status_changes::get,
        super::status_changes::approve,
        super::status_changes::reject,
        super::conversations::list,
        super::conversations::start,
        super::conversations::get,
        super::conversations::messages,
        super::conversations::post_message,
        super::conversations::forward,
        super::conversations::close,
        super::files::upload,
        super::files::download,
        super::fees::estimate,
        super::fees::tariff,
        super::applications::submit,
        super::applications::list,
        super::applications::get,
        super::applications::accept,
        super::applications::reject,
        super::applications::schedule,
        super::applications::record_inspection,
        super::reports::list,
        super::reports::get,
        super::reports::download,
        super::reports::transition,
        super::reports::fee_paid,
        super::reports::verify,
        super::notices::issue,
        super::notices::list,
        super::notices::get,
        super::notices::pdf,
        super::notices::feedback,
        super::notices::confirm,
        super::notices::return_feedback,
        super::payments::issue,
        super::payments::cancel,
        super::payments::list,
        super::payments::pay,
        super::payments::status,
        super::payments::notify,
        super::invoices::list,
        super::invoices::pdf,
        super::notifications::list,
        super::notifications::read,
        super::notifications::read_all,
        super::notifications::get_settings,
        super::notifications::update_settings,
        super::notifications::run,
        super::registrations::terms,
        super::registrations::submit,
        super::registrations::list,
        super::registrations::get,
        super::registrations::licence,
        super::registrations::approve,
        super::registrations::reject,
        super::registrations::application_form,
        super::registrations::create_enterprise,
        super::system::healthz,
        super::system::readyz,
        super::system::metrics,
    ),
    components(schemas(
        problem::Problem,
        problem::FieldError,
        auth::LoginRequest,
        auth::TokenResponse,
        auth::RefreshRequest,
        me::Me,
        me::EnterpriseRef,
        me::UpdateMe,
        me::ChangePassword,
        enterprise::EnterpriseDetails,
        enterprise::UpdateEnterprise,
        users::EnterpriseUser,
        users::NewEnterpriseUser,
        users::UpdateEnterpriseUser,
        users::ApiToken,
        users::NewApiToken,
        users::CreatedApiToken,
        users::AuditEntry,
        users::AuditQuery,
        list::Page<users::EnterpriseUser>,
        list::Page<users::ApiToken>,
        list::Page<users::AuditEntry>,
        reference::CatalogueEntry,
        reference::District,
        reference::Bureau,
        reference::Office,
        equipment::EquipmentSummary,
        equipment::EquipmentDetail,
        equipment::EquipmentQuery,
        equipment::EquipmentView,
        equipment::ExportFormat,
        equipment::ApplicationStatus,
        equipment::Overview,
        equipment::OverviewRow,
        equipment::OverviewCounts,
        equipment::InspectionRecord,
        equipment::ParamLine,
        equipment::TimelineEvent,
        equipment::EquipmentFields,
        equipment::NewEquipment,
        equipment::EquipmentSaved,
        equipment::NewInspection,
        equipment::ImportReport,
        list::Page<equipment::EquipmentSummary>,
        status_change::NewStatusChange,
        status_change::StatusChange,
        status_change::Decision,
        status_change::StatusChangeQuery,
        list::Page<status_change::StatusChange>,
        files::StoredFileInfo,
        conversation::NewConversation,
        conversation::NewMessage,
        conversation::ForwardConversation,
        conversation::CloseConversation,
        conversation::Conversation,
        conversation::ThreadEntry,
        conversation::ConversationDetail,
        conversation::ConversationQuery,
        list::Page<conversation::Conversation>,
        application::NewApplication,
        application::NewApplicationItem,
        application::Application,
        application::ApplicationItem,
        application::AcceptApplication,
        application::ApprovedItem,
        application::RejectApplication,
        application::ScheduleApplication,
        application::RecordInspection,
        list::Page<application::Application>,
        report::Report,
        report::ReportTransition,
        report::ReportVerification,
        list::Page<report::Report>,
        notice::NoticeProblem,
        notice::NewNotice,
        notice::Notice,
        notice::NoticeFeedback,
        notice::NoticeReview,
        list::Page<notice::Notice>,
        payment::NewPaymentNotice,
        payment::CancelPaymentNotice,
        payment::PaymentNoticeItem,
        payment::PaymentNotice,
        payment::NewPayment,
        payment::Payment,
        list::Page<payment::PaymentNotice>,
        invoice::Invoice,
        list::Page<invoice::Invoice>,
        notification::Notification,
        notification::NotificationPage,
        notification::NotificationQuery,
        notification::ReadResult,
        notification::ReminderSettings,
        notification::ReminderSettingsView,
        notification::ReminderRun,
        notification::RunReminders,
        super::files::UploadForm,
        system::Health,
        registration::RegistrationTerms,
        registration::AccountApplication,
        registration::RegistrationReceipt,
        registration::LicenceFile,
        registration::Registration,
        registration::RejectRegistration,
        registration::EnterpriseCreated,
        list::Page<registration::Registration>,
        super::registrations::RegistrationForm,
    )),
    tags(
        (name = "认证", description = "登录、刷新令牌、退出"),
        (name = "账户", description = "账户信息维护（手册 7.1）"),
        (name = "企业信息", description = "基本信息维护（手册 6.1）"),
        (name = "企业用户", description = "本单位的用户、角色与操作日志"),
        (name = "API 令牌", description = "第三方系统调用本 API 的令牌（只读或读写，可吊销）"),
        (name = "设备", description = "设备管理（手册第四章）"),
        (name = "设备状态变更", description = "停用、启用、报废等变更申请与监管局审批（手册 4.2.4）"),
        (name = "附件", description = "申报资料上传与下载"),
        (name = "交流互动", description = "企业与市场监管局的交流：发起、回复、转交、关闭（手册 5.4）"),
        (name = "计费", description = "检验费用参考值（手册 5.1.6–5.1.7）"),
        (name = "网上报检", description = "网上定期检验申报、受理与报检查询（手册 5.1）"),
        (name = "检验报告", description = "报告领取查询、下载、流转与公开验证（手册 5.2）"),
        (name = "检验意见通知书", description = "通知书查询、下载与整改（手册 5.3）"),
        (name = "网上缴费", description = "缴款通知书、扫码支付与支付结果通知（手册 5.5）"),
        (name = "电子发票", description = "电子发票查询、下载与打印（手册 5.6）"),
        (name = "站内消息", description = "检验到期提醒、站内消息与提醒设置"),
        (name = "账号开通", description = "网上注册、检验院审核、线下开户与账号申请表（手册第三章）"),
        (name = "基础数据", description = "特种设备目录、辖区、监管局、办事机构"),
        (name = "运维", description = "健康检查与指标"),
    )
)]
pub struct ApiDoc;

/// The document as committed: pretty JSON with a trailing newline.
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
