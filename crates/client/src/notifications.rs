//! Typed calls for 站内消息, 提醒设置 and the reminder job.

use crate::http::Method;
use tejian_contract::notification::{
    NotificationPage, NotificationQuery, ReadResult, ReminderRun, ReminderSettings,
    ReminderSettingsView, RunReminders,
};

use crate::{AuthedClient, Result};

impl AuthedClient {
    /// 站内消息 of the caller's enterprise, with the caller's unread count.
    pub async fn notifications(&self, query: &NotificationQuery) -> Result<NotificationPage> {
        self.call(|c| c.request(Method::GET, "/notifications").query(query))
            .await
    }

    /// Marks one message read for the caller.
    pub async fn mark_notification_read(&self, id: i64) -> Result<ReadResult> {
        self.call(|c| c.request(Method::POST, &format!("/notifications/{id}/read")))
            .await
    }

    /// Marks every message read for the caller.
    pub async fn mark_all_notifications_read(&self) -> Result<ReadResult> {
        self.call(|c| c.request(Method::POST, "/notifications/read-all"))
            .await
    }

    /// 提醒设置 of the caller's enterprise.
    pub async fn reminder_settings(&self) -> Result<ReminderSettingsView> {
        self.call(|c| c.request(Method::GET, "/reminder-settings"))
            .await
    }

    /// Changes the 提醒设置 (enterprise admin).
    pub async fn update_reminder_settings(
        &self,
        settings: &ReminderSettings,
    ) -> Result<ReminderSettingsView> {
        self.call(|c| c.request(Method::PUT, "/reminder-settings").json(settings))
            .await
    }

    /// Runs the reminder pass now (institute staff), for the request's date or today.
    pub async fn run_reminders(&self, request: &RunReminders) -> Result<ReminderRun> {
        self.call(|c| c.request(Method::POST, "/reminders/run").json(request))
            .await
    }
}
