# tejian's everyday commands. Every recipe is `cargo xtask <same name>`, so each one also works
# without just (install it with `pip install rust-just` or `cargo install just --locked`).

set positional-arguments

# list the recipes
default:
    @{{just_executable()}} --justfile {{justfile()}} --list

# run the platform: SPA + server with demo data on http://127.0.0.1:8080 (args go to `tejian serve`)
run *args:
    cargo xtask run "$@"

# run EVERY test: setup, cargo test (SQLite + PostgreSQL), SPA build, browser tests
test:
    cargo xtask test

# release build: the SPA into frontend/dist and the server binary target/release/tejian
build:
    cargo xtask build

# browser tests (headless Chromium) against a fresh server with demo data (--skip-build)
e2e *args:
    cargo xtask e2e "$@"

# benchmarks: release server on PostgreSQL with province data (--scale city: faster); writes bench/RESULTS.md
bench *args:
    cargo xtask bench "$@"

# fault suite: SIGKILL mid-stream, PostgreSQL restart, two nodes' jobs, graceful shutdown
faults:
    cargo xtask faults

# regenerate openapi/openapi.json from the code (--check: fail if it drifted)
openapi *args:
    cargo xtask openapi "$@"

# format all Rust code
fmt:
    cargo xtask fmt

# rustfmt check and clippy (host crates and the wasm32 SPA), warnings are errors
lint:
    cargo xtask lint

# build the SPA into frontend/dist (--dev: unoptimised, with debug info)
spa *args:
    cargo xtask spa "$@"

# make this machine ready: Rust toolchain + wasm target, Chromium, CJK fonts, e2e node packages, moto (S3 test server)
setup:
    cargo xtask setup

# attack suite, API part: schemathesis against a fresh demo server as each role (--examples N)
attack *args:
    cargo xtask attack "$@"
