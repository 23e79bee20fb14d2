//! API integration tests: a real server on a random port, each test on a fresh database, every
//! scenario on SQLite and on PostgreSQL (`TEJIAN_TEST_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`), called through `tejian-client`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod attack;
mod auth;
mod client_address;
mod conventions;
mod conversations;
mod enterprise_users;
mod equipment;
mod equipment_admin;
mod equipment_import;
mod inspection;
mod isolation;
mod me;
mod openapi;
mod payments;
mod registrations;
mod reminders;
mod scale_seed;
mod spa;
mod status_changes;
mod storage;
