//! 设备: a piece of special equipment and its life in the registry.
//!
//! A unit of equipment carries two independent states, as in the legacy platforms
//! (EQP_USE_STA / EQP_REG_STA):
//! - [`UseStatus`] 使用状态: is it in use, stopped, scrapped, moved away …
//! - [`RegistrationStatus`] 注册状态: is it registered with the bureau.
//!
//! 注销登记 (cancellation) is a registration state reached by scrapping, relocation to another
//! authority or a change of user; it is not a use state.
//!
//! Its technical parameters are typed per category in [`params`], and the dashboard states
//! derived from the statuses and the inspection dates (超期, 即将到期, 不合格, 非在用) are in
//! [`state`].

pub mod params;
pub mod state;
mod status;

pub use params::{EquipmentParams, FieldProblem, ParamLine};
pub use state::{EquipmentState, StateInput};
pub use status::{RegistrationStatus, UseStatus};
