//! 站内消息 (the in-app inbox) and 提醒设置 (reminder settings).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// 站内消息 one entry: today only inspection reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    /// `reminder_due` 到期提醒 or `reminder_overdue` 超期提醒。
    pub kind: String,
    pub title: String,
    pub body: String,
    /// 相关设备（链接到设备档案）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_id: Option<i64>,
    /// 设备的注册代码或设备代码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_label: Option<String>,
    /// 提醒所针对的下次检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// 提醒节点：`window`、`days:7`、`overdue:week:2` 等。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// 当前用户是否已读（已读状态按用户记录）。
    pub read: bool,
}

/// 站内消息分页列表：`{items,total,page,per_page}` 加上当前用户的未读条数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// 符合条件的总条数。
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// 当前用户的未读条数（不受筛选影响）。
    pub unread: u64,
}

/// `GET /notifications` 的查询参数。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct NotificationQuery {
    /// 只看未读。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    /// 页码，从 1 开始，默认 1。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    /// 每页条数，默认 20，最大 200；`per_page=1` 即可只取未读条数。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// 标记已读的结果。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadResult {
    /// 本次新标记为已读的条数。
    pub marked: u64,
    /// 之后的未读条数。
    pub unread: u64,
}

/// 提醒设置：提醒节点与接收人。站内消息总是发送。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "window_days": 30, "marks": [7, 1], "weekly_overdue": true,
    "sms_to_safety_manager": true, "extra_phones": ["13957200001"]
})))]
pub struct ReminderSettings {
    /// 进入报检期提醒：到期前天数，1–90，默认 30（一个月）。
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub window_days: u16,
    /// 到期前提醒天数，每个 1–60，最多 5 个，默认 [7, 1]。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::reminder_marks))]
    pub marks: Vec<u16>,
    /// 超期后每周提醒一次（最多 52 周），默认开启。
    pub weekly_overdue: bool,
    /// 短信发给安全管理负责人手机，默认开启。
    pub sms_to_safety_manager: bool,
    /// 其他接收短信的手机号码，最多 5 个。
    pub extra_phones: Vec<String>,
}

/// 提醒设置及其说明（读取时返回）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderSettingsView {
    #[serde(flatten)]
    pub settings: ReminderSettings,
    /// 安全管理负责人手机（已隐藏中间四位；未填写时为空）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_manager_phone: Option<String>,
    /// 当前用户能否修改（企业管理员）。
    pub editable: bool,
}

/// 一次提醒任务的结果。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderRun {
    /// 运行所按的日期（湖州时间）。
    pub date: Date,
    /// 收到提醒的企业数。
    pub enterprises: u32,
    /// 新发出的提醒（每台设备每个节点一条）。
    pub reminders: u32,
    /// 写入发件箱的短信条数。
    pub sms: u32,
    /// 本次出错的企业数（已回滚，下次运行重试）。
    pub failed: u32,
}

/// 手动运行提醒任务（检验院）。
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunReminders {
    /// 按哪一天运行（默认今天，湖州时间）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}
