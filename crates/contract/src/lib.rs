//! tejian-contract: the words on the wire.
//!
//! Every request and response body of the REST API (`/api/v1`) is defined here once and shared by
//! the server (`tejian-api`), the typed client (`tejian-client`), the SPA and the CLI. With the
//! `openapi` feature the types also describe themselves to utoipa, which is how
//! `openapi/openapi.json` stays equal to the code.

pub mod application;
pub mod auth;
pub mod conversation;
pub mod enterprise;
pub mod equipment;
pub mod files;
pub mod invoice;
pub mod list;
pub mod me;
pub mod notice;
pub mod notification;
pub mod payment;
pub mod problem;
pub mod reference;
pub mod registration;
pub mod report;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod status_change;
pub mod system;
pub mod users;

/// The base path of every API route.
pub const API_BASE: &str = "/api/v1";
