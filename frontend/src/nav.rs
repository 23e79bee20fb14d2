//! 导航: the manual's menus. The top bar lists the [`Section`]s, the left menu the [`Screen`]s of
//! the current section, both in the manual's order.

use crate::i18n::{Texts, t};

/// One screen of a left menu.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// The route, e.g. `/equipment/search`.
    pub path: &'static str,
    /// The menu text, from the i18n table.
    text: fn(&'static Texts) -> &'static str,
    /// The manual section that describes it, e.g. `4.2`.
    pub manual: &'static str,
    /// Shown to an enterprise's admins only (users, tokens, the audit log).
    pub admin_only: bool,
}

impl Screen {
    /// The menu text in the current language.
    pub fn name(&self) -> &'static str {
        (self.text)(t())
    }
}

/// One top menu and its left menu.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// Every route of the section starts with this, e.g. `/equipment`.
    pub prefix: &'static str,
    text: fn(&'static Texts) -> &'static str,
    pub screens: &'static [Screen],
}

impl Section {
    /// The top-menu text in the current language.
    pub fn name(&self) -> &'static str {
        (self.text)(t())
    }

    /// The section's first screen (where its top menu leads).
    pub fn home(&self) -> &'static str {
        self.screens.first().map_or(self.prefix, |s| s.path)
    }

    /// `true` when `path` is one of this section's routes.
    pub fn contains(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// Where the app starts after login.
pub const HOME: &str = "/equipment/overview";

macro_rules! screen {
    ($path:literal, $field:ident, $manual:literal) => {
        Screen {
            path: $path,
            text: |t| t.$field,
            manual: $manual,
            admin_only: false,
        }
    };
    ($path:literal, $field:ident, $manual:literal, admin) => {
        Screen {
            path: $path,
            text: |t| t.$field,
            manual: $manual,
            admin_only: true,
        }
    };
}

/// 设备管理 · 企业自助服务 · 企业信息维护 · 系统管理, each with its left menu.
pub static SECTIONS: [Section; 4] = [
    Section {
        prefix: "/equipment",
        text: |t| t.section_equipment,
        screens: &[
            screen!("/equipment/overview", screen_equipment_overview, "4.1"),
            screen!("/equipment/search", screen_equipment_search, "4.2"),
            screen!("/equipment/overdue", screen_overdue, "4.3"),
            screen!("/equipment/unqualified", screen_unqualified, "4.4"),
            screen!("/equipment/inactive", screen_inactive, "4.5"),
            screen!("/equipment/expiring", screen_expiring, "4.6"),
        ],
    },
    Section {
        prefix: "/services",
        text: |t| t.section_services,
        screens: &[
            screen!("/services/applications", screen_applications, "5.1"),
            screen!("/services/reports", screen_reports, "5.2"),
            screen!("/services/notices", screen_notices, "5.3"),
            screen!("/services/messages", screen_messages, "5.4"),
            screen!("/services/payments", screen_payments, "5.5"),
            screen!("/services/invoices", screen_invoices, "5.6"),
        ],
    },
    Section {
        prefix: "/enterprise",
        text: |t| t.section_enterprise,
        screens: &[screen!("/enterprise/info", screen_enterprise_info, "6.1")],
    },
    Section {
        prefix: "/system",
        text: |t| t.section_system,
        screens: &[
            screen!("/system/account", screen_account, "7.1"),
            screen!("/system/users", screen_users, "7.2", admin),
            screen!("/system/api-tokens", screen_api_tokens, "7.3", admin),
            screen!("/system/audit", screen_audit, "7.4", admin),
            // Beyond the manual: the inbox of inspection reminders and their settings.
            screen!("/system/notifications", screen_notifications, ""),
            screen!("/system/reminders", screen_reminder_settings, ""),
        ],
    },
];

/// The section a path belongs to, if any.
pub fn section_of(path: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.contains(path))
}

/// The screen at a path, if any.
pub fn screen_at(path: &str) -> Option<&'static Screen> {
    section_of(path).and_then(|s| s.screens.iter().find(|x| x.path == path))
}

/// The menu screen a path belongs to: the screen itself or one of its pages
/// (`/services/applications/history` belongs to 网上报检).
pub fn screen_for(path: &str) -> Option<&'static Screen> {
    section_of(path).and_then(|s| {
        s.screens.iter().find(|x| {
            path.strip_prefix(x.path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    })
}
