//! One file per screen, named after the manual's screen.

pub mod account;
pub mod application_form;
pub mod application_history;
pub mod change_password;
pub mod enterprise_info;
pub mod equipment_archive;
pub mod equipment_overview;
pub mod equipment_search;
pub mod expiring_equipment;
pub mod help;
pub mod inactive_equipment;
pub mod inspection_notices;
pub mod invoice_download;
pub mod login;
pub mod messages;
pub mod not_found;
pub mod notice_feedback;
pub mod online_application;
pub mod online_payment;
pub mod overdue_equipment;
pub mod registration;
pub mod report_collection;
pub mod status_change_form;
pub mod status_change_history;
pub mod unqualified_equipment;
pub mod verify_report;
