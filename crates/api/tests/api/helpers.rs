//! `spawn_app`: a fresh database, the small seed, a server on port 0.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tejian_api::config::Settings;
use tejian_api::seed::{self, SeedSize};
use tejian_api::startup::Application;
use tejian_client::{AuthedClient, Client};

pub const PASSWORD: &str = "Tejian-demo-2026";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub db: DatabaseConnection,
    /// The server's use cases, for jobs the tests run by hand (reconciliation).
    pub services: actix_web::web::Data<tejian_api::services::Services>,
    _dir: TempDir,
    _pg: Option<PgDatabase>,
}

impl TestApp {
    pub async fn login(&self, username: &str) -> AuthedClient {
        self.client
            .login(username, PASSWORD)
            .await
            .expect("login")
            .0
    }

    /// A raw reqwest client (no cookies kept) for requests the typed client does not make.
    pub fn http(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!("tejian-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn pg_admin_url() -> String {
    std::env::var("TEJIAN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A PostgreSQL database made for one test and dropped after it.
pub struct PgDatabase {
    name: String,
}

impl PgDatabase {
    async fn create() -> (Self, String) {
        let admin_url = pg_admin_url();
        let name = format!("tejian_t_{}", random_suffix());
        let admin = Database::connect(&admin_url)
            .await
            .expect("PostgreSQL must be reachable at TEJIAN_TEST_PG_URL (default 127.0.0.1:5432)");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("TEJIAN_TEST_PG_URL must end with a database name"),
        };
        (Self { name }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Dropping needs async IO; do it on a thread of its own so it works from any runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) = Database::connect(&pg_admin_url()).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_seeded(backend, Some(SeedSize::Small), configure).await
}

/// A server with the demo city's data (22 enterprises, ~1,000 pieces of equipment), for tests
/// that need the demo lifecycle (`seed::lifecycle`).
pub async fn spawn_demo_app(backend: Backend) -> TestApp {
    spawn_seeded(backend, Some(SeedSize::Demo), |_| {}).await
}

/// A server on an empty (migrated) database, for tests that write their own data.
pub async fn spawn_app_unseeded(backend: Backend) -> TestApp {
    spawn_seeded(backend, None, |_| {}).await
}

async fn spawn_seeded(
    backend: Backend,
    size: Option<SeedSize>,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let dir = TempDir::new();
    let (pg, url) = match backend {
        Backend::Sqlite => (None, tejian_api::config::sqlite_url(&dir.0.join("test.db"))),
        Backend::Postgres => {
            let (pg, url) = PgDatabase::create().await;
            (Some(pg), url)
        }
    };
    let mut settings = Settings::for_database(&url, &dir.0);
    configure(&mut settings);
    let app = Application::build(settings).await.expect("server builds");
    if let Some(size) = size {
        seed::seed(app.db(), app.files(), size).await.expect("seed");
    }
    let db = app.db().clone();
    let services = app.services();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        client: Client::new(&base),
        base,
        db,
        services,
        _dir: dir,
        _pg: pg,
    }
}

/// Runs one scenario on both SQLite and PostgreSQL: `both!(name);` expects `async fn name(app:
/// TestApp)` in scope.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            use $crate::helpers::{Backend, spawn_app};

            #[tokio::test]
            async fn sqlite() {
                super::$name(spawn_app(Backend::Sqlite).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(spawn_app(Backend::Postgres).await).await;
            }
        }
    };
}

/// The smallest PNG the upload check accepts (its magic bytes and an IHDR).
pub fn tiny_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(b"\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89");
    png
}
