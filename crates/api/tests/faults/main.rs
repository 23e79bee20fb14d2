//! The fault suite (issue 7 item 5): the real `tejian` binary as child processes on PostgreSQL —
//! SIGKILL in the middle of a stream of writes, PostgreSQL restarted under load (a private
//! cluster), two nodes running the background jobs on one database, and graceful shutdown.
//! `cargo xtask faults` (`just faults`) runs it alone; `cargo xtask test` runs it with the rest.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod crash;
mod db_restart;
mod jobs;
mod shutdown;
