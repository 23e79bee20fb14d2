//! Reusable pieces of the screens.

pub mod bell;
pub mod download;
pub mod equipment_info;
pub mod equipment_list;
pub mod equipment_table;
pub mod fee;
pub mod field;
pub mod filters;
pub mod frame;
pub mod loader;
pub mod pagination;
pub mod password_form;
pub mod pay_texts;
pub mod status;
pub mod status_change_table;
pub mod under_construction;
pub mod uploads;

pub use equipment_list::EquipmentList;
pub use frame::Frame;
pub use loader::{Load, Loader};
pub use password_form::PasswordForm;
pub use status::{Empty, ErrorBox, Loading, PageLoading};
pub use under_construction::UnderConstruction;
