//! `cargo xtask <command>`: tejian's everyday commands, in Rust so that nothing but cargo is
//! needed (the justfile and `.ci/run` call these).

mod attack;
mod e2e;
mod setup;
mod spa;
mod util;

use std::env;
use std::fs;
use std::process::ExitCode;
use std::time::Instant;

use util::{ExitCodeError, Result, TestCounts, cargo, note, repo_root, run, run_counting, step};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  spa [--dev] [--names]   build the SPA (wasm32 + wasm-bindgen) into frontend/dist/
                          (--names: keep function names, no wasm-opt, for `twiggy`)
  build                   release SPA + release server binary (target/release/tejian)
  run [--skip-spa] [--dev-spa] [ARGS…]
                          build the SPA, then `tejian serve ARGS…` (debug build) on
                          http://127.0.0.1:8080 (TEJIAN_ADDR) with demo data
  openapi [--check]       write openapi/openapi.json from the code (--check: fail if it drifted)
  fmt                     cargo fmt --all
  lint                    rustfmt check + clippy (host crates, and the SPA for wasm32), -D warnings
  setup                   make this machine ready: toolchain, Chromium & fonts, e2e node packages,
                          moto (S3 test server, PyPI)
  test                    EVERY test: setup, cargo test --workspace, SPA (release), e2e,
                          attack (schemathesis, short)
  e2e [--skip-build]      browser tests against a fresh server with demo data
  faults                  the fault suite alone (crates/api/tests/faults): SIGKILL mid-stream,
                          PostgreSQL restart (private cluster), two nodes' jobs, graceful
                          shutdown; `test` runs it too
  attack [--skip-build] [--examples N]
                          schemathesis (pip) against /openapi.json of a fresh demo server,
                          once per role, every check; N examples per operation (default 6)
  bench [--scale city|province] [--seed N] [--duration S] [--clients 1,8,64] [--reseed]
                          release server on PostgreSQL (database tejian_bench, seeded once per
                          scale and seed), load from a separate process, raw-SQL comparison;
                          prints the table and writes bench/RESULTS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            match e.downcast_ref::<ExitCodeError>() {
                Some(e) => ExitCode::from(e.code),
                None => ExitCode::FAILURE,
            }
        }
    }
}

fn dispatch(args: &[String]) -> Result {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    let flags = Flags::new(rest);
    match command.as_str() {
        "spa" => {
            flags.only(&["--dev", "--names"])?;
            spa::spa_with(flags.has("--dev"), flags.has("--names"))
        }
        "build" => {
            flags.only(&[])?;
            build()
        }
        "run" => run_server(rest),
        "openapi" => {
            flags.only(&["--check"])?;
            openapi(flags.has("--check"))
        }
        "fmt" => {
            flags.only(&[])?;
            run(cargo().args(["fmt", "--all"]))
        }
        "lint" => {
            flags.only(&[])?;
            lint()
        }
        "setup" => {
            flags.only(&[])?;
            setup::setup()
        }
        "test" => {
            flags.only(&[])?;
            test()
        }
        "e2e" => {
            flags.only(&["--skip-build"])?;
            let mut counts = TestCounts::default();
            let result = e2e::e2e(flags.has("--skip-build"), &mut counts);
            if counts.seen {
                println!("\ne2e: {}", counts.line());
            }
            result
        }
        "bench" => bench(rest),
        "faults" => {
            flags.only(&[])?;
            faults()
        }
        "attack" => attack_command(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}").into()),
    }
}

struct Flags<'a>(&'a [String]);

impl<'a> Flags<'a> {
    fn new(args: &'a [String]) -> Self {
        Flags(args)
    }

    fn has(&self, flag: &str) -> bool {
        self.0.iter().any(|a| a == flag)
    }

    fn only(&self, allowed: &[&str]) -> Result {
        match self.0.iter().find(|a| !allowed.contains(&a.as_str())) {
            Some(a) => Err(format!("unexpected argument `{a}`\n\n{USAGE}").into()),
            None => Ok(()),
        }
    }
}

/// `attack [--skip-build] [--examples N]`.
fn attack_command(args: &[String]) -> Result {
    let mut skip_build = false;
    let mut examples = attack::DEFAULT_EXAMPLES;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip-build" => skip_build = true,
            "--examples" => {
                examples = rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--examples needs a positive number\n\n{USAGE}"))?;
            }
            other => return Err(format!("unexpected argument `{other}`\n\n{USAGE}").into()),
        }
    }
    attack::attack(skip_build, examples)
}

fn build() -> Result {
    spa::spa(false)?;
    step("building the server (release)");
    run(cargo().args(["build", "--release", "-p", "tejian-api", "--bin", "tejian"]))?;
    let binary = util::target_dir()?.join("release").join("tejian");
    println!("\nserver binary: {}", binary.display());
    println!(
        "run it from the repository root ({}):\n    {} serve\nit serves the SPA from frontend/dist (TEJIAN_SPA_DIR) on http://127.0.0.1:8080 (TEJIAN_ADDR).",
        repo_root().display(),
        binary.display()
    );
    Ok(())
}

/// `bench [ARGS…]`: builds the release server and the harness, then runs the harness, which
/// seeds or reuses the benchmark database, starts the server and measures (bench/src/main.rs).
fn bench(args: &[String]) -> Result {
    step("PostgreSQL for the benchmark");
    setup::ensure_postgres()?;
    step("building the server and the harness (release)");
    run(cargo().args(["build", "--release", "-p", "tejian-api", "--bin", "tejian"]))?;
    run(cargo().args([
        "build",
        "--release",
        "-p",
        "tejian-bench",
        "--bin",
        "tejian-bench",
    ]))?;
    let release = util::target_dir()?.join("release");
    if !repo_root().join("frontend/dist").exists() {
        note("frontend/dist is missing: the wasm size is left out (run `cargo xtask spa` first)");
    }
    step("benchmark");
    run(util::command(release.join("tejian-bench"))
        .current_dir(repo_root())
        .arg("--server")
        .arg(release.join("tejian"))
        .arg("--data-dir")
        .arg(util::target_dir()?.join("bench-data"))
        .args(args))
}

/// `faults`: the fault suite, which starts the debug `tejian` binary as child processes on
/// PostgreSQL (and a private cluster of its own for the restart); its figures are printed.
fn faults() -> Result {
    step("PostgreSQL for the fault suite");
    setup::ensure_postgres()?;
    step("fault suite (cargo test --test faults)");
    run(cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "tejian-web",
        "--test",
        "faults",
        "--",
        "--nocapture",
    ]))
}

/// `run [--skip-spa] [--dev-spa] [--] [ARGS…]`: everything xtask does not know goes to `serve`.
fn run_server(args: &[String]) -> Result {
    let mut skip_spa = false;
    let mut dev_spa = false;
    let mut passthrough: Vec<&str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip-spa" => skip_spa = true,
            "--dev-spa" => dev_spa = true,
            "--" => {
                passthrough.extend(rest.by_ref().map(String::as_str));
            }
            other => passthrough.push(other),
        }
    }
    if skip_spa {
        note("--skip-spa: serving frontend/dist as it is");
    } else {
        spa::spa(dev_spa)?;
    }
    step("starting the server (tejian serve)");
    note(
        "env: TEJIAN_ADDR (default 127.0.0.1:8080), TEJIAN_DATA_DIR (./data), DATABASE_URL, TEJIAN_DEMO, TEJIAN_SPA_DIR, TEJIAN_JWT_SECRET",
    );
    run(cargo()
        .args(["run", "-p", "tejian-api", "--bin", "tejian", "--", "serve"])
        .args(passthrough))
}

/// Writes (or, with `check`, compares) `openapi/openapi.json` with what `tejian openapi` prints.
fn openapi(check: bool) -> Result {
    step("generating the OpenAPI document (tejian openapi)");
    let mut cmd = cargo();
    cmd.args([
        "run",
        "-q",
        "-p",
        "tejian-api",
        "--bin",
        "tejian",
        "--",
        "openapi",
    ]);
    let desc = util::describe(&cmd);
    println!("$ {desc}");
    let mut spec = util::output(&mut cmd)?;
    let trimmed = String::from_utf8_lossy(&spec);
    let trimmed = trimmed.trim();
    if !(trimmed.starts_with('{') && trimmed.ends_with('}')) {
        return Err(format!("`{desc}` did not print a JSON object").into());
    }
    if spec.last() != Some(&b'\n') {
        spec.push(b'\n');
    }
    let path = repo_root().join("openapi").join("openapi.json");
    if check {
        let committed = fs::read(&path).map_err(|e| {
            format!(
                "{}: {e}; run `cargo xtask openapi` and commit it",
                path.display()
            )
        })?;
        if committed != spec {
            return Err(format!(
                "{} differs from what the code generates; run `cargo xtask openapi` and commit it",
                path.display()
            )
            .into());
        }
        note("openapi/openapi.json is up to date");
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(&path, &spec)?;
    note(&format!("wrote {} ({} bytes)", path.display(), spec.len()));
    Ok(())
}

fn lint() -> Result {
    let mut failed = Vec::new();
    let checks: [(&str, &[&str]); 3] = [
        ("rustfmt", &["fmt", "--all", "--check"]),
        (
            "clippy (host crates)",
            &[
                "clippy",
                "--workspace",
                "--exclude",
                "tejian-web",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        (
            "clippy (SPA, wasm32)",
            &[
                "clippy",
                "-p",
                "tejian-web",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
        ),
    ];
    for (name, args) in checks {
        step(name);
        if let Err(e) = run(cargo().args(args)) {
            eprintln!("{name}: {e}");
            failed.push(name);
        }
    }
    if failed.is_empty() {
        println!("\nlint: all clean");
        Ok(())
    } else {
        Err(format!("lint failed: {}", failed.join(", ")).into())
    }
}

/// One finished step of `cargo xtask test`.
struct Outcome {
    name: &'static str,
    result: std::result::Result<(), String>,
    seconds: f64,
    counts: Option<TestCounts>,
}

fn test() -> Result {
    let started = Instant::now();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut timed = |name: &'static str,
                     counts: Option<TestCounts>,
                     f: &mut dyn FnMut(&mut TestCounts) -> Result|
     -> bool {
        let t = Instant::now();
        let mut c = counts.unwrap_or_default();
        let result = f(&mut c).map_err(|e| e.to_string());
        let ok = result.is_ok();
        if let Err(e) = &result {
            eprintln!("\nxtask: {name} failed: {e}");
        }
        outcomes.push(Outcome {
            name,
            result,
            seconds: t.elapsed().as_secs_f64(),
            counts: counts.map(|_| c),
        });
        ok
    };

    let setup_ok = timed("setup", None, &mut |_| setup::setup());
    timed("postgres", None, &mut |_| {
        step("PostgreSQL for the API's integration tests");
        setup::ensure_postgres()
    });
    timed(
        "cargo test",
        Some(TestCounts::default()),
        &mut |counts: &mut TestCounts| {
            step("cargo test (host crates)");
            // Setup installs the S3 test server: its tests must run, not skip.
            run_counting(
                cargo()
                    .args(["test", "--workspace", "--exclude", "tejian-web"])
                    .env("TEJIAN_S3_TEST_REQUIRED", "1"),
                counts,
            )
        },
    );
    let spa_ok = timed("spa (release)", None, &mut |_| spa::spa(false));
    // schemathesis, short: builds the debug server binary that e2e then reuses.
    timed("attack", None, &mut |_| {
        attack::attack(false, attack::DEFAULT_EXAMPLES)
    });
    if setup_ok && spa_ok {
        timed(
            "e2e",
            Some(TestCounts::default()),
            &mut |counts: &mut TestCounts| e2e::e2e(false, counts),
        );
    } else {
        outcomes.push(Outcome {
            name: "e2e",
            result: Err("not run: setup or the SPA build failed".into()),
            seconds: 0.0,
            counts: None,
        });
    }

    step("summary");
    let mut total = TestCounts::default();
    for o in &outcomes {
        let status = if o.result.is_ok() { "ok" } else { "FAILED" };
        let counts = o.counts.map(|c| c.line()).unwrap_or_default();
        println!(
            "  {:<15} {:<7} {:>7.1}s  {counts}",
            o.name, status, o.seconds
        );
        if let Some(c) = o.counts {
            total.add(c);
        }
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    for o in &failed {
        if let Err(e) = &o.result {
            println!("  {}: {}", o.name, e.lines().next().unwrap_or(""));
        }
    }
    println!(
        "  total time {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    );
    println!("tests: {}", total.line());
    if failed.is_empty() {
        println!("all tests passed");
        Ok(())
    } else {
        let names: Vec<&str> = failed.iter().map(|o| o.name).collect();
        Err(format!("failed: {}", names.join(", ")).into())
    }
}
