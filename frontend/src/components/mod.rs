//! Reusable pieces of the screens.

pub mod field;
pub mod frame;
pub mod loader;
pub mod password_form;
pub mod status;
pub mod under_construction;

pub use frame::Frame;
pub use loader::{Load, Loader};
pub use password_form::PasswordForm;
pub use status::{Empty, ErrorBox, Loading, PageLoading};
pub use under_construction::UnderConstruction;
