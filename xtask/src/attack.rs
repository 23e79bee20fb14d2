//! `cargo xtask attack [--skip-build] [--examples N]`: schemathesis (from PyPI) against the
//! served `/openapi.json` of a fresh demo server, once per role (enterprise admin, institute
//! staff, bureau staff), with every check. Any failure (a 5xx, a response the spec does not
//! describe, data the spec allows but the server refuses or the other way round) fails the run.
//!
//! Operations left out, because they would end the session the run depends on (they are covered
//! by the API tests in crates/api/tests/api/auth.rs, me.rs and enterprise_users.rs):
//! - `POST /api/v1/auth/logout`: ends the caller's session;
//! - `PUT /api/v1/me/password`: a successful change ends every session of the user;
//! - `POST /api/v1/users/{id}/password-reset`: staff resetting one of the demo accounts would
//!   lock the next role out (its password is replaced and must be changed);
//! - `PUT /api/v1/users/{id}`: the enterprise admin could disable itself or demote its role.
//!
//! And `POST /api/v1/payments/notify/{provider}`: a payment provider's signed callback; any body
//! without the provider's signature is refused as the provider's protocol says (400 `FAIL`),
//! which no schema can describe (crates/api/tests/api/payments.rs covers it).
//!
//! Check settings (422 for schema-valid data the domain refuses) are in `schemathesis.toml`.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::e2e::{Server, debug_server, free_port, fresh_temp_dir, nonce, wait_ready};
use crate::util::{Result, command, describe, note, repo_root, run, step, tail, target_dir};

/// The schemathesis release this suite was written and checked against.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// The demo password of every demo account (README).
const DEMO_PASSWORD: &str = "Tejian-demo-2026";

/// Examples per operation and role in CI's short run (the coverage phase adds its own cases;
/// about two minutes for the three roles on an idle 2-core machine, four under heavy load).
pub const DEFAULT_EXAMPLES: u32 = 6;

/// Fixed seed: a CI failure can be replayed with the same inputs.
const SEED: &str = "20261127";

/// Paths left out (each has one method), see the module comment.
const EXCLUDED: [&str; 5] = [
    "/api/v1/auth/logout",
    "/api/v1/me/password",
    "/api/v1/users/{id}/password-reset",
    "/api/v1/users/{id}",
    "/api/v1/payments/notify/{provider}",
];

const ROLES: [(&str, &str); 3] = [
    ("enterprise admin", "demo-ent-2"),
    ("institute staff", "demo-institute"),
    ("bureau staff", "demo-bureau"),
];

pub fn attack(skip_build: bool, examples: u32) -> Result {
    let schemathesis = ensure_schemathesis()?;
    let binary = debug_server(skip_build)?;

    let tmp = fresh_temp_dir("attack")?;
    let data_dir = tmp.join("data");
    fs::create_dir_all(&data_dir)?;
    let log_path = tmp.join("server.log");
    let port = free_port()?;
    let base_url = format!("http://127.0.0.1:{port}");
    step(&format!("starting a demo server on {base_url}"));
    note(&format!("data dir {}", data_dir.display()));
    let log = File::create(&log_path)?;
    let mut server = Server::spawn(
        Command::new(&binary)
            .arg("serve")
            .current_dir(repo_root())
            .env("TEJIAN_DATA_DIR", &data_dir)
            .env("TEJIAN_DEMO", "1")
            .env("TEJIAN_ADDR", format!("127.0.0.1:{port}"))
            .env(
                "TEJIAN_JWT_SECRET",
                format!("attack-secret-{}-for-schemathesis-only", nonce()),
            )
            // Every role logs in before the first run; the tokens must outlive all three runs.
            .env("TEJIAN_ACCESS_TTL_SECONDS", "3600")
            .env_remove("DATABASE_URL")
            .env_remove("TEJIAN_STORAGE_URL")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log)),
    )?;
    wait_ready(&mut server, port, &log_path)?;

    // All logins first: the runs post random logins, and enough failures from one address lock
    // the address for a while (by design), which would refuse a later role's login.
    let mut tokens = Vec::new();
    for (role, user) in ROLES {
        tokens.push((role, user, login(port, user)?));
    }
    let started = Instant::now();
    let mut failed = Vec::new();
    for (role, user, token) in &tokens {
        step(&format!("schemathesis as {role} ({user})"));
        let mut cmd = Command::new(&schemathesis);
        cmd.current_dir(&tmp)
            .arg("--config-file")
            .arg(repo_root().join("schemathesis.toml"))
            .args(["run", &format!("{base_url}/openapi.json")])
            .args(["--checks", "all"])
            .args(["--max-examples", &examples.to_string()])
            .args(["--seed", SEED])
            .args(["--workers", "1"])
            .args(["--request-timeout", "30"])
            .args(["--no-shrink"]);
        for path in EXCLUDED {
            cmd.args(["--exclude-path", path]);
        }
        // The token stays out of the printed command line.
        println!("$ {} -H 'Authorization: Bearer …'", describe(&cmd));
        cmd.args(["-H", &format!("Authorization: Bearer {token}")]);
        let status = cmd
            .status()
            .map_err(|e| format!("could not start schemathesis: {e}"))?;
        if !status.success() {
            failed.push(*role);
        }
    }
    note(&format!(
        "schemathesis took {:.0} s for {} roles",
        started.elapsed().as_secs_f64(),
        tokens.len()
    ));
    drop(server);
    if failed.is_empty() {
        let _ = fs::remove_dir_all(&tmp);
        Ok(())
    } else {
        println!(
            "\n--- last lines of the server log ({}) ---\n{}\n--- end of server log ---",
            log_path.display(),
            tail(&log_path, 40)
        );
        Err(format!("schemathesis found failures as: {}", failed.join(", ")).into())
    }
}

/// The schemathesis command: on PATH, or installed with pip into a virtualenv kept in the build
/// cache (so a machine whose Python refuses system-wide installs still works).
fn ensure_schemathesis() -> Result<PathBuf> {
    step("schemathesis");
    if let Some(found) = crate::util::which("schemathesis") {
        note(&format!("using {}", found.display()));
        return Ok(found);
    }
    let venv = target_dir()?.join("attack-venv");
    let bin = venv.join("bin").join("schemathesis");
    if !bin.is_file() {
        note(&format!(
            "installing {SCHEMATHESIS} into {}",
            venv.display()
        ));
        run(command("python3").arg("-m").arg("venv").arg(&venv))?;
        run(command(venv.join("bin").join("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCHEMATHESIS,
        ]))?;
    }
    Ok(bin)
}

/// Logs in with the demo password over plain HTTP and returns the access token.
fn login(port: u16, user: &str) -> Result<String> {
    let body = format!(r#"{{"username":"{user}","password":"{DEMO_PASSWORD}"}}"#);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let token = response
        .split_once(r#""access_token":""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_owned());
    match token {
        Some(t) if response.starts_with("HTTP/1.1 200") => Ok(t),
        _ => Err(format!(
            "login as {user} failed: {}",
            response.lines().next().unwrap_or("no answer")
        )
        .into()),
    }
}
