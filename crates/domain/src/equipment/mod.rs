//! 设备: a piece of special equipment and its life in the registry.
//!
//! A unit of equipment carries two independent states, as in the legacy platforms
//! (EQP_USE_STA / EQP_REG_STA):
//! - [`UseStatus`] 使用状态: is it in use, stopped, scrapped, moved away …
//! - [`RegistrationStatus`] 注册状态: is it registered with the bureau.
//!
//! 注销登记 (cancellation) is a registration state reached by scrapping, relocation to another
//! authority or a change of user; it is not a use state.

mod status;

pub use status::{RegistrationStatus, UseStatus};
