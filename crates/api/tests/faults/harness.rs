//! The fault suite's harness: the real `tejian` binary as a child process, databases made for one
//! test, a private PostgreSQL cluster that a test may stop and start, and waits on conditions.

use std::fs::{File, OpenOptions};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tejian_api::config::Settings;
use tejian_api::seed::{self, SeedSize};
use tejian_api::startup::prepare_database;

pub const PASSWORD: &str = "Tejian-demo-2026";

/// The suite's tests run one at a time (each holds this while it runs): each starts servers and
/// loads them, and on a small machine running them side by side would only make each slower.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
pub const JWT_SECRET: &str = "fault-suite-secret-fault-suite-secret-0001";

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> Self {
        let path = std::env::temp_dir().join(format!("tejian-faults-{what}-{}", random_suffix()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Waits until `check` is true, polling every 100 ms; panics with `what` after `timeout`.
/// Timeouts are generous: they catch hangs, they do not measure speed.
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return;
        }
        assert!(
            started.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Databases

pub fn pg_admin_url() -> String {
    std::env::var("TEJIAN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A PostgreSQL database made for one test on the server of `admin_url`, dropped after it.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create(admin_url: &str) -> Self {
        let name = format!("tejian_f_{}", random_suffix());
        let admin = Database::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url}: {e}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("the admin URL must end with a database name"),
        };
        Self {
            admin_url: admin_url.to_owned(),
            name,
            url,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Dropping needs async IO; a thread of its own works from inside any runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
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

/// Migrates `url` and writes the small seed (demo accounts, a few enterprises) through the
/// library, as the API tests do; the servers under test then start on a database with data.
pub async fn seed_small(url: &str, data_dir: &Path) {
    let settings = Settings::for_database(url, data_dir);
    let db = prepare_database(&settings).await.expect("migrations");
    let files =
        tejian_api::files::FileStore::from_url(&settings.storage_url, &settings.s3).unwrap();
    seed::seed(&db, &files, SeedSize::Small)
        .await
        .expect("small seed");
    db.close().await.unwrap();
}

/// The test's own connection to `url`: one session, so the suite can tell its session from a
/// server's in `pg_stat_activity`.
pub async fn connect_one(url: &str) -> DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    Database::connect(options).await.unwrap()
}

/// One number from SQL (`SELECT count(*) AS n …`).
pub async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get::<i64>("", "n")
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A string literal for SQL built in tests (values are the tests' own).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

// ---------------------------------------------------------------------------------------------
// The server binary

/// A `tejian serve` child process on a port of its own (`TEJIAN_ADDR=127.0.0.1:0`; the port is
/// read from its start line). Killed on drop.
pub struct Node {
    child: Child,
    pub name: String,
    pub base: String,
    pub port: u16,
    log: PathBuf,
}

impl Node {
    /// Starts `tejian serve` on `database_url` with the files in `data_dir`; `env` adds or
    /// overrides variables. Background jobs are off unless `env` turns them on. Returns once
    /// `/healthz` answers.
    pub async fn start(
        name: &str,
        database_url: &str,
        data_dir: &Path,
        env: &[(&str, &str)],
    ) -> Node {
        let log = data_dir.join(format!("{name}.log"));
        let offset = std::fs::metadata(&log).map_or(0, |m| m.len());
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let err = out.try_clone().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_tejian"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
            .env("NO_COLOR", "1")
            .env("DATABASE_URL", database_url)
            .env("TEJIAN_ADDR", "127.0.0.1:0")
            .env("TEJIAN_DATA_DIR", data_dir)
            .env("TEJIAN_SPA_DIR", data_dir.join("no-spa"))
            .env("TEJIAN_JWT_SECRET", JWT_SECRET)
            .env("TEJIAN_DEMO", "off")
            .env("TEJIAN_WORKERS", "2")
            .env("TEJIAN_OUTBOX_INTERVAL_SECONDS", "0")
            .env("TEJIAN_REMINDER_INTERVAL_SECONDS", "0");
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .expect("start the tejian binary");
        let mut node = Node {
            child,
            name: name.to_owned(),
            base: String::new(),
            port: 0,
            log,
        };
        let started = Instant::now();
        let port = loop {
            let text = node.log_since(offset);
            if let Some(port) = text
                .lines()
                .find_map(|l| l.split("tejian 已启动: http://127.0.0.1:").nth(1))
                .and_then(|rest| rest.trim().parse::<u16>().ok())
            {
                break port;
            }
            if let Some(status) = node.child.try_wait().unwrap() {
                panic!("{name} exited at start ({status}):\n{}", node.log_tail());
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{name} did not start within 120 s:\n{}",
                node.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        node.port = port;
        node.base = format!("http://127.0.0.1:{port}");
        let health = format!("{}/healthz", node.base);
        let http = reqwest::Client::new();
        wait_for(&format!("{name} /healthz"), Duration::from_secs(60), || {
            let (http, health) = (http.clone(), health.clone());
            async move {
                http.get(&health)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
        .await;
        node
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends a signal by name (`TERM`) with kill(1).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill(1)");
        assert!(status.success(), "kill -{signal} {}", self.pid());
    }

    /// Waits for the process to exit; `None` after `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if started.elapsed() > timeout {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_since(&self, offset: u64) -> String {
        use std::io::{Read, Seek, SeekFrom};
        let mut text = String::new();
        if let Ok(mut f) = File::open(&self.log) {
            let _ = f.seek(SeekFrom::Start(offset));
            let mut bytes = Vec::new();
            let _ = f.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    }

    /// The last lines of the node's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = self.log_since(0);
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(40);
        format!(
            "--- {} log (tail) ---\n{}",
            self.name,
            lines[from..].join("\n")
        )
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/// A client with a generous per-request timeout: a request that runs into it has hung.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Logs in and returns the access token.
pub async fn login(http: &reqwest::Client, node: &Node, username: &str) -> String {
    let response = http
        .post(node.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login request");
    let status = response.status();
    let body: serde_json::Value = response.json().await.expect("login body");
    assert!(status.is_success(), "login {username}: {status} {body}");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// A private PostgreSQL cluster

/// A PostgreSQL cluster of its own in a temporary directory, on a free port, which a test may
/// stop and start without touching the machine's shared server. Needs the server binaries
/// (`/usr/lib/postgresql/*/bin`); as root, they run as the `postgres` user (initdb refuses root).
pub struct PrivateCluster {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl PrivateCluster {
    /// The newest installed server's binaries, or why there are none.
    pub fn binaries() -> Result<PathBuf, String> {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("/usr/lib/postgresql: {e}"))?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
                let bin = entry.path().join("bin");
                (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
                    .then_some((version, bin))
            })
            .collect();
        found.sort();
        found
            .pop()
            .map(|(_, bin)| bin)
            .ok_or_else(|| "no initdb/pg_ctl under /usr/lib/postgresql/*/bin".to_owned())
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, mut command: Command, what: &str) {
        let out = command
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            out.status.success(),
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// initdb in a fresh temporary directory and start on a free port.
    pub fn init(bin: PathBuf) -> Self {
        let dir = std::env::temp_dir().join(format!("tejian-faults-pg-{}", random_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(status.success(), "chown {}", dir.display());
        }
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let cluster = Self { bin, dir, port };
        let mut initdb = cluster.command("initdb");
        initdb.arg("-D").arg(cluster.dir.join("data")).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ]);
        cluster.run(initdb, "initdb");
        cluster.start();
        cluster
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn start(&self) {
        let mut pg_ctl = self.command("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                self.port,
                self.dir.display()
            ))
            .args(["-w", "-t", "60", "start"]);
        self.run(pg_ctl, "pg_ctl start");
    }

    /// `pg_ctl stop -m fast`: sessions are terminated, as in a restart by an operator.
    pub fn stop(&self) {
        let mut pg_ctl = self.command("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "-t", "60", "stop"]);
        self.run(pg_ctl, "pg_ctl stop");
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
