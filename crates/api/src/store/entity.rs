//! sea-orm entities, one per table (see `migrations/` for the schema).

pub mod app_user;
pub mod application_item;
pub mod audit_log;
pub mod bureau;
pub mod conversation;
pub mod conversation_file;
pub mod conversation_message;
pub mod district;
pub mod enterprise;
pub mod equipment;
pub mod inspection;
pub mod inspection_application;
pub mod invoice;
pub mod login_throttle;
pub mod notice_feedback_file;
pub mod office;
pub mod opinion_notice;
pub mod outbox_message;
pub mod payment;
pub mod payment_notice;
pub mod payment_notice_item;
pub mod report;
pub mod session;
pub mod status_change;
pub mod status_change_file;
pub mod stored_file;
