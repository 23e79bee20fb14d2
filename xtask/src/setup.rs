//! `cargo xtask setup`: make a fresh machine ready (idempotent), and the PostgreSQL check
//! that `cargo xtask test` runs before the API's integration tests.

use std::env;
use std::fs;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::util::{Result, command, is_root, note, repo_root, run, step, which};

pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// What the browser tests (and PDF checks) need from Debian.
const APT_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "poppler-utils",
];
const DEFAULT_TEST_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The S3-compatible server the object-storage tests start (crates/api/tests/api/storage.rs).
const MOTO: &str = "moto[server]>=5,<6";

pub fn setup() -> Result {
    let mut problems: Vec<String> = Vec::new();

    step("Rust toolchain (rust-toolchain.toml, with the wasm32 target)");
    if which("rustup").is_some() {
        // Without RUSTUP_TOOLCHAIN (which `cargo xtask` inherits from rustup's proxy), rustup
        // reads rust-toolchain.toml and installs its targets and components too.
        if let Err(e) = run(command("rustup")
            .args(["toolchain", "install"])
            .env_remove("RUSTUP_TOOLCHAIN"))
        {
            problems.push(format!("rustup: {e}"));
        }
    } else {
        note("rustup not on PATH: skipped (the toolchain must provide wasm32-unknown-unknown)");
    }

    step("browser-test packages (Debian)");
    let missing = missing_apt_packages();
    if missing.is_empty() {
        note(&format!("present: {}", APT_PACKAGES.join(", ")));
    } else {
        note(&format!("missing: {}", missing.join(", ")));
        let install = format!("apt-get install -y {}", APT_PACKAGES.join(" "));
        if is_root() && which("apt-get").is_some() {
            let result = run(command("apt-get")
                .arg("update")
                .env("DEBIAN_FRONTEND", "noninteractive"))
            .and_then(|()| {
                run(command("apt-get")
                    .args(["install", "-y"])
                    .args(APT_PACKAGES)
                    .env("DEBIAN_FRONTEND", "noninteractive"))
            });
            if let Err(e) = result {
                problems.push(format!("installing browser packages: {e}"));
            }
        } else {
            problems.push(format!(
                "browser tests need {}; run as root: apt-get update && {install}",
                missing.join(", ")
            ));
        }
    }

    step("Node.js for the browser tests");
    match command("node").arg("--version").output() {
        Ok(out) if out.status.success() => {
            note(&format!(
                "node {}",
                String::from_utf8_lossy(&out.stdout).trim()
            ));
            if let Err(e) = e2e_node_modules() {
                problems.push(format!("e2e node packages: {e}"));
            }
        }
        _ => problems.push(
            "node (>= 20) is not installed; browser tests need it (Debian: apt-get install -y nodejs npm)"
                .into(),
        ),
    }

    step("S3-compatible test server (moto_server, PyPI)");
    if let Err(e) = s3_test_server() {
        problems.push(format!("S3 test server: {e}"));
    }

    if problems.is_empty() {
        println!("\nsetup: the machine is ready");
        Ok(())
    } else {
        Err(format!(
            "setup is incomplete (browser or S3 tests cannot run):\n  - {}",
            problems.join("\n  - ")
        )
        .into())
    }
}

fn missing_apt_packages() -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push("chromium");
    }
    if !Path::new(CHROMEDRIVER).exists() && which("chromedriver").is_none() {
        missing.push("chromium-driver");
    }
    if !Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists() {
        missing.push("fonts-noto-cjk");
    }
    if which("pdftoppm").is_none() {
        missing.push("poppler-utils");
    }
    missing
}

/// `npm ci` in e2e/ when its node_modules are missing. Never downloads a browser.
fn e2e_node_modules() -> Result {
    let e2e = repo_root().join("e2e");
    if !e2e.join("package.json").is_file() {
        return Err("e2e/package.json is missing".into());
    }
    if e2e
        .join("node_modules")
        .join("playwright-core")
        .join("package.json")
        .is_file()
    {
        note("e2e/node_modules present");
        return Ok(());
    }
    let verb = if e2e.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    run(command("npm")
        .current_dir(&e2e)
        .args([verb, "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// `pip install moto[server]` when `python3 -m moto.server` is not there yet.
fn s3_test_server() -> Result {
    let present = || {
        command("python3")
            .args(["-c", "import moto.server, flask"])
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if present() {
        note("moto present");
        return Ok(());
    }
    run(command("python3").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        MOTO,
    ]))
    .map_err(|e| format!("python3 -m pip install \"{MOTO}\" failed: {e}"))?;
    if present() {
        Ok(())
    } else {
        Err("moto was installed but `import moto.server` still fails".into())
    }
}

/// Makes sure the PostgreSQL the API's integration tests use is reachable; starts the local
/// cluster when it is not and we are root.
pub fn ensure_postgres() -> Result {
    let url = env::var("TEJIAN_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_TEST_PG_URL.to_string());
    let Some((host, port)) = pg_host_port(&url) else {
        note(&format!(
            "cannot read host:port from TEJIAN_TEST_PG_URL={url}; not checking"
        ));
        return Ok(());
    };
    let local = matches!(host.as_str(), "127.0.0.1" | "localhost" | "::1" | "[::1]");
    if reachable(&host, port) {
        note(&format!("PostgreSQL is up on {host}:{port}"));
        return Ok(());
    }
    if !local {
        return Err(
            format!("PostgreSQL at {host}:{port} (TEJIAN_TEST_PG_URL) is not reachable").into(),
        );
    }
    let start_cmd = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
    if !is_root() {
        return Err(format!(
            "PostgreSQL is not reachable on {host}:{port}; start it (as root: {start_cmd}) \
             or point TEJIAN_TEST_PG_URL at one"
        )
        .into());
    }
    let versions: Vec<String> = fs::read_dir("/etc/postgresql")
        .map_err(|e| {
            format!("PostgreSQL is not reachable on {host}:{port} and not installed (/etc/postgresql: {e})")
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for version in &versions {
        note(&format!("starting PostgreSQL {version}/main"));
        // Fails harmlessly when that cluster is already running.
        let _ = run(command("pg_ctlcluster").args([
            "--skip-systemctl-redirect",
            version,
            "main",
            "start",
        ]));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reachable(&host, port) {
            note(&format!("PostgreSQL is up on {host}:{port}"));
            return Ok(());
        }
        sleep(Duration::from_millis(500));
    }
    Err(format!("PostgreSQL did not come up on {host}:{port} (tried: {start_cmd})").into())
}

/// `postgres://user:pw@host:port/db?…` → (host, port).
fn pg_host_port(url: &str) -> Option<(String, u16)> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if hostport.is_empty() {
        return None;
    }
    if let Some((host, port)) = hostport.rsplit_once(':')
        && !host.ends_with(':')
        && let Ok(port) = port.parse()
    {
        return Some((host.to_string(), port));
    }
    Some((hostport.to_string(), 5432))
}

fn reachable(host: &str, port: u16) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map(Iterator::collect)
        .unwrap_or_default();
    addrs
        .iter()
        .any(|a| TcpStream::connect_timeout(a, Duration::from_secs(2)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pg_urls() {
        assert_eq!(
            pg_host_port(DEFAULT_TEST_PG_URL),
            Some(("127.0.0.1".to_string(), 5432))
        );
        assert_eq!(
            pg_host_port("postgres://u:p@db.example:6543/x?sslmode=disable"),
            Some(("db.example".to_string(), 6543))
        );
        assert_eq!(
            pg_host_port("postgresql://localhost/x"),
            Some(("localhost".to_string(), 5432))
        );
    }
}
