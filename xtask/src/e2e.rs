//! `cargo xtask e2e [--skip-build]`: the browser tests (node + playwright-core + Debian's
//! Chromium) against a real server with fresh demo data.

use std::env;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::setup::CHROMIUM;
use crate::spa::spa;
use crate::util::{
    ExitCodeError, Result, TestCounts, cargo, command, note, repo_root, run, run_counting, step,
    tail, target_dir,
};

const READY_TIMEOUT: Duration = Duration::from_secs(120);

pub fn e2e(skip_build: bool, counts: &mut TestCounts) -> Result {
    let root = repo_root();
    let dist = root.join("frontend").join("dist");
    if !dist.join("tejian_web_bg.wasm").is_file() {
        if skip_build {
            return Err(format!(
                "{} has no built SPA; run `cargo xtask spa` first",
                dist.display()
            )
            .into());
        }
        spa(false)?;
    }
    if !root
        .join("e2e")
        .join("node_modules")
        .join("playwright-core")
        .is_dir()
    {
        return Err("e2e/node_modules is missing; run `cargo xtask setup` first".into());
    }
    let chromium = env::var("CHROMIUM_PATH").unwrap_or_else(|_| CHROMIUM.to_string());
    if !Path::new(&chromium).exists() {
        return Err(format!("{chromium} is missing; run `cargo xtask setup` first").into());
    }

    let binary = debug_server(skip_build)?;

    let tmp = fresh_temp_dir("e2e")?;
    let data_dir = tmp.join("data");
    fs::create_dir_all(&data_dir)?;
    let log_path = tmp.join("server.log");
    // The log sender also writes each SMS here; e2e/registration.test.mjs reads the password
    // an approval sends (TEJIAN_SMS_LOG_FILE, for tests and demos only).
    let sms_path = tmp.join("sms.jsonl");
    let port = free_port()?;
    let base_url = format!("http://127.0.0.1:{port}");

    step(&format!("starting the server on {base_url}"));
    note(&format!("data dir {}", data_dir.display()));
    note(&format!("log {}", log_path.display()));
    let log = File::create(&log_path)?;
    let mut server_cmd = Command::new(&binary);
    server_cmd
        .arg("serve")
        .current_dir(&root)
        .env("TEJIAN_DATA_DIR", &data_dir)
        .env("TEJIAN_DEMO", "1")
        .env("TEJIAN_ADDR", format!("127.0.0.1:{port}"))
        .env("TEJIAN_SPA_DIR", &dist)
        .env("TEJIAN_SMS_LOG_FILE", &sms_path)
        .env("TEJIAN_OUTBOX_INTERVAL_SECONDS", "1")
        .env(
            "TEJIAN_JWT_SECRET",
            format!("e2e-secret-{}-for-browser-tests-only", nonce()),
        )
        // Always the embedded SQLite default under the fresh data dir.
        .env_remove("DATABASE_URL")
        .env_remove("TEJIAN_STORAGE_URL")
        // A readable log file (no ANSI colours).
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log));
    let mut server = Server::spawn(&mut server_cmd)?;

    let result = wait_ready(&mut server, port, &log_path).and_then(|()| {
        step("browser tests (node --test e2e/tests/)");
        // Fresh each run, so no stale failure screenshot is left from an earlier one.
        let screenshots = root.join("e2e").join("screenshots");
        if screenshots.exists() {
            fs::remove_dir_all(&screenshots)?;
        }
        fs::create_dir_all(&screenshots)?;
        run_counting(
            command("node")
                .args([
                    "--test",
                    "--test-concurrency=1",
                    "--test-reporter=spec",
                    "e2e/tests/",
                ])
                .env("TEJIAN_BASE_URL", &base_url)
                .env("TEJIAN_SMS_LOG_FILE", &sms_path)
                .env("CHROMIUM_PATH", &chromium)
                .env("SCREENSHOT_DIR", &screenshots),
            counts,
        )
        .map(|()| note(&format!("screenshots in {}", screenshots.display())))
    });
    drop(server);

    match result {
        Ok(()) => {
            let _ = fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => {
            println!(
                "\n--- last lines of the server log ({}) ---\n{}\n--- end of server log ---",
                log_path.display(),
                tail(&log_path, 80)
            );
            match e.downcast::<ExitCodeError>() {
                Ok(mut e) => {
                    e.message = format!("browser tests failed: {}", e.message);
                    Err(e)
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// The server process; stopped (TERM, then KILL after 10 s) when dropped, also on failure.
pub(crate) struct Server {
    child: Child,
}

impl Server {
    pub(crate) fn spawn(cmd: &mut Command) -> Result<Self> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        Ok(Self {
            child: cmd
                .spawn()
                .map_err(|e| format!("could not start {program}: {e}"))?,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = self.child.id().to_string();
        let _ = Command::new("kill")
            .args(["-TERM", &pid])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                note("server stopped");
                return;
            }
            sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        note("server killed (did not stop within 10 s of SIGTERM)");
    }
}

pub(crate) fn wait_ready(server: &mut Server, port: u16, log_path: &Path) -> Result {
    let started = Instant::now();
    loop {
        if readyz_status(port) == Some(200) {
            note(&format!(
                "ready after {:.1}s",
                started.elapsed().as_secs_f64()
            ));
            return Ok(());
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(format!(
                "the server exited ({status}) before it was ready (log: {})",
                log_path.display()
            )
            .into());
        }
        if started.elapsed() > READY_TIMEOUT {
            return Err(format!(
                "the server was not ready (GET /readyz → 200) within {} s",
                READY_TIMEOUT.as_secs()
            )
            .into());
        }
        sleep(Duration::from_millis(250));
    }
}

/// The status code of `GET /readyz`, or None when nothing answers.
fn readyz_status(port: u16) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .write_all(
            format!("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .ok()?;
    let mut head = [0u8; 64];
    let mut len = 0;
    while len < 12 {
        let n = stream.read(&mut head[len..]).ok()?;
        if n == 0 {
            break;
        }
        len += n;
    }
    // "HTTP/1.1 200 OK"
    let text = std::str::from_utf8(&head[..len]).ok()?;
    text.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub(crate) fn nonce() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", nanos, std::process::id())
}

/// The debug server binary the browser and attack runs start: built first unless `skip_build`.
pub fn debug_server(skip_build: bool) -> Result<PathBuf> {
    if !skip_build {
        step("building the server (debug)");
        run(cargo().args(["build", "-p", "tejian-api", "--bin", "tejian"]))?;
    }
    let binary = target_dir()?.join("debug").join("tejian");
    if !binary.is_file() {
        return Err(format!("{} is missing; build it first", binary.display()).into());
    }
    Ok(binary)
}

pub(crate) fn fresh_temp_dir(name: &str) -> Result<PathBuf> {
    let dir = env::temp_dir().join(format!("tejian-{name}-{}", nonce()));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}
