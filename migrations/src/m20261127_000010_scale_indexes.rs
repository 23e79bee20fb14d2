//! Indexes for lists over a whole province (issue 7, measured with `just bench`): institute staff
//! and bureaux read the register ordered by the next inspection date. Without these the database
//! sorts a million rows for every page, or walks the date index through years of scrapped
//! equipment before it finds twenty overdue pieces.
//!
//! Partial indexes carry the list conditions themselves (in use / not in use); the connections
//! plan every statement with its values (`plan_cache_mode = force_custom_plan`, `store::connect`),
//! so the planner can match them. PostgreSQL also gets `INCLUDE` columns, which turn the capped
//! counts into index-only scans; SQLite has no `INCLUDE` and gets the plain index.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// In use (超期 / 即将到期 are drawn from these), as `services::equipment::IN_USE`.
const IN_USE: &str = "use_status IN ('in_use', 'in_use_unregistered')";
/// 非在用, as `services::equipment::inactive`.
const INACTIVE: &str =
    "use_status NOT IN ('in_use', 'in_use_unregistered') OR registration_status = 'cancelled'";

/// (name, table, columns, PostgreSQL INCLUDE columns, WHERE).
const INDEXES: [(&str, &str, &str, &str, &str); 7] = [
    // 超期 / 即将到期 over the province or a district filter, in list order; the count reads
    // deferred_until from the index.
    (
        "idx_equipment_in_use_next",
        "equipment",
        "next_inspection_date, id",
        "deferred_until",
        IN_USE,
    ),
    // 非在用 in list order.
    (
        "idx_equipment_inactive_next",
        "equipment",
        "next_inspection_date, id",
        "",
        INACTIVE,
    ),
    // An enterprise's 非在用 in list order (without it the planner combined the province-wide
    // index above with the enterprise's in a bitmap: 13 ms instead of 0.1 ms).
    (
        "idx_equipment_enterprise_inactive",
        "equipment",
        "enterprise_id, next_inspection_date, id",
        "",
        INACTIVE,
    ),
    // A bureau's district in list order.
    (
        "idx_equipment_district_next",
        "equipment",
        "district_code, next_inspection_date, id",
        "",
        "",
    ),
    // 不合格 in list order; the count checks the statuses in the index.
    (
        "idx_equipment_outcome_next",
        "equipment",
        "last_outcome, next_inspection_date, id",
        "use_status, registration_status",
        "",
    ),
    // 报告领取查询 over the province, newest first.
    ("idx_report_date", "report", "inspection_date, id", "", ""),
    // An enterprise's 报告领取查询, newest first with the id as tie-breaker (the older
    // (enterprise_id, inspection_date) index leaves an incremental sort on id).
    (
        "idx_report_enterprise_date_id",
        "report",
        "enterprise_id, inspection_date, id",
        "",
        "",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let db = manager.get_connection();
        for (name, table, columns, include, condition) in INDEXES {
            let mut sql = format!("CREATE INDEX {name} ON {table} ({columns})");
            if postgres && !include.is_empty() {
                sql.push_str(&format!(" INCLUDE ({include})"));
            }
            if !condition.is_empty() {
                sql.push_str(&format!(" WHERE {condition}"));
            }
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, ..) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
