//! The store: sea-orm entities and the queries the services run. Tenant scoping lives in the
//! queries themselves (an enterprise's query filters by its id), never in a check after loading.

pub mod entity;
pub mod lookup;
pub mod paging;
pub mod reference;
pub mod users;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Connects to the database, with SQLite tuned for a small server (WAL, busy timeout, foreign
/// keys on). `acquire_timeout` bounds how long a request waits for a connection: while the
/// database is down or restarting, requests answer 503 `database_unavailable` after it instead of
/// hanging. The pool tests each connection before handing it out, so connections a database
/// restart broke are dropped and replaced by themselves.
pub async fn connect(url: &str, acquire_timeout: Duration) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(true);
    if url.starts_with("sqlite:") {
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        // Plan every statement with its values: list filters are skewed (2 % failed, old dates
        // mostly scrapped equipment), and a generic plan for `use_status IN ($1, $2)` can neither
        // see that nor use the partial indexes of migration 000010 (a page took 1.7 s instead
        // of 0.2 ms). Planning costs a fraction of a millisecond.
        options
            .max_connections(20)
            .min_connections(1)
            .map_sqlx_postgres_opts(|o| o.options([("plan_cache_mode", "force_custom_plan")]));
    }
    Database::connect(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use migration::MigratorTrait;
    migration::Migrator::up(db, None).await
}

/// Whether the database answers within two seconds (for `/readyz`, which load balancers call
/// often and must not wait for the pool's acquire timeout).
pub async fn ping(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(2), db.ping()).await,
        Ok(Ok(()))
    )
}
