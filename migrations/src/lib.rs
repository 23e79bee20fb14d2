//! Schema migrations: the only way tejian's schema changes. Every migration runs on SQLite and
//! PostgreSQL; `tejian migrate` applies them and `tejian serve` applies them on start.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000002_equipment_dates;
mod m20261127_000003_files_and_status_changes;
mod m20261127_000004_inspection_lifecycle;
mod m20261127_000005_payments;
mod m20261127_000006_enterprise_users;
mod m20261127_000007_conversations;
mod m20261127_000008_reminders;
mod m20261127_000009_registrations;
mod m20261127_000010_scale_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_equipment_dates::Migration),
            Box::new(m20261127_000003_files_and_status_changes::Migration),
            Box::new(m20261127_000004_inspection_lifecycle::Migration),
            Box::new(m20261127_000005_payments::Migration),
            Box::new(m20261127_000006_enterprise_users::Migration),
            Box::new(m20261127_000007_conversations::Migration),
            Box::new(m20261127_000008_reminders::Migration),
            Box::new(m20261127_000009_registrations::Migration),
            Box::new(m20261127_000010_scale_indexes::Migration),
        ]
    }
}
