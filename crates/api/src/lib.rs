//! tejian-api: the tejian server.
//!
//! `http` says how a thing is asked (routes, extractors, problem responses, OpenAPI), `services`
//! decide (use cases, transactions, authorisation), `store` remembers (sea-orm entities and
//! queries). `auth` holds password hashing and tokens, `seed` the demo data, `tabular` reads
//! uploaded CSV and XLSX tables.

pub mod audit;
pub mod auth;
pub mod config;
pub mod documents;
pub mod error;
pub mod fees;
pub mod files;
pub mod http;
pub mod outbox;
pub mod payments;
pub mod ratelimit;
pub mod seed;
pub mod services;
pub mod startup;
pub mod store;
pub mod tabular;
pub mod telemetry;

pub use config::Settings;
pub use startup::Application;
