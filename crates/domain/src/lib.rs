//! # tejian-domain: the business of a special-equipment inspection institute
//!
//! **Special equipment** (特种设备) is the equipment Chinese law watches closely because a failure
//! can kill: boilers, pressure vessels, elevators, cranes, factory vehicles, amusement rides,
//! pressure pipelines and passenger ropeways. The national [`catalogue`] (特种设备目录) lists
//! them with a 4-character hierarchical code, such as `3110` for a traction passenger elevator.
//!
//! An enterprise that uses such equipment (使用单位, identified by its [`credit_code`]) must
//! register each unit with the market-supervision bureau of its district ([`region`]) and have it
//! inspected at fixed intervals by an inspection institute, here the 湖州市特种设备检测研究院 and
//! its offices ([`office`]). A unit is known by several numbers: its lifetime
//! [`equipment_code`] (设备代码), the older 20-character [`registration_code`] (注册代码) that
//! most records still carry, and the number of its [`use_certificate`] (使用登记证编号). Over
//! its life it is in use, stopped, scrapped or moved away ([`equipment`]), and each
//! [`inspection`] ends in a conclusion: pass, pass under conditions, or fail.
//!
//! The enterprise service platform (企业服务平台) lets enterprises see their equipment and what
//! is due or overdue, apply for inspections online with a reference estimate of the fee
//! ([`fee`], from a tariff kept as data), pay the fees ([`money`]), download reports and
//! invoices, ask the bureau to record a status change, and talk to the bureau
//! ([`conversation`]). People sign in with an [`account`] in one of four roles, and give us
//! [`phone`] numbers for SMS reminders.
//!
//! This crate holds the model and the rules only: no IO, no async, no database or web types. It
//! compiles for `wasm32-unknown-unknown`, so the browser runs the same validation as the server.
//!
//! ## Conventions
//! - Values that come from outside are **parsed** once into newtypes (`CreditCode::parse`), so an
//!   instance always holds a valid value. Serde writes them as their string and reads them back
//!   through the same parser.
//! - Every parser fails with a [`ParseError`]: a stable snake_case `code()` for programs and a
//!   Chinese message for people. Legacy data that is merely unusual is kept and flagged with a
//!   [`CodeWarning`] instead.
//! - Enums that travel over the wire use snake_case names (`as_str()`, `FromStr`, serde) and have
//!   a Chinese `label_zh()`.

// Tests may unwrap; the library itself is still checked without this (`cargo clippy` lints the
// non-test build too).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod api_token;
pub mod application;
pub mod catalogue;
pub mod conversation;
pub mod credit_code;
pub mod equipment;
pub mod equipment_code;
mod error;
pub mod fee;
pub mod inspection;
pub mod invoice;
pub mod money;
pub mod notice;
pub mod numbering;
pub mod office;
pub mod payment;
pub mod phone;
pub mod region;
pub mod registration;
pub mod registration_code;
pub mod reminder;
pub mod report;
pub mod status_change;
pub mod use_certificate;

pub use account::{EnterpriseRole, Role, Username};
pub use catalogue::{CatalogueCode, CatalogueEntry, EquipmentCategory};
pub use credit_code::CreditCode;
pub use equipment::{RegistrationStatus, UseStatus};
pub use equipment_code::EquipmentCode;
pub use error::{CodeWarning, ParseError};
pub use fee::{FeeEstimate, FeeRequest, Tariff, TariffBook};
pub use inspection::{Conclusion, InspectionType, Outcome};
pub use money::Money;
pub use office::{INSTITUTE_NAME, Office};
pub use phone::{ContactPhone, Landline, MobileNumber};
pub use region::{Bureau, District, DistrictKind, Jurisdictions};
pub use registration_code::RegistrationCode;
pub use use_certificate::UseCertificateNo;
