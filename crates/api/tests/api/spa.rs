//! The SPA's static files: precompressed copies of the wasm and JavaScript go to browsers that
//! accept them, everything else as before (client-side routes get index.html).

use std::fs;
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};

use crate::helpers::{Backend, spawn_app_with};

const INDEX: &str = "<!doctype html><title>tejian</title>";

#[tokio::test]
async fn serves_precompressed_copies_to_browsers_that_accept_them() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        let dir = &s.spa_dir;
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), INDEX).unwrap();
        fs::write(dir.join("app.wasm"), b"\0asm plain").unwrap();
        fs::write(dir.join("app.wasm.br"), b"brotli copy").unwrap();
        fs::write(dir.join("app.wasm.gz"), b"gzip copy").unwrap();
        fs::write(dir.join("old.js"), b"console.log('new');").unwrap();
        fs::write(dir.join("old.js.br"), b"stale brotli copy").unwrap();
        // A copy older than its file (a build that wrote the file only) must not be served.
        let stale = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(dir.join("old.js.br"))
            .unwrap()
            .set_modified(stale)
            .unwrap();
    })
    .await;
    let http = app.http();
    let get = |path: &str, accept: &str| {
        http.get(app.url(path))
            .header(ACCEPT_ENCODING, accept)
            .send()
    };

    let r = get("/app.wasm", "gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[CONTENT_ENCODING], "br");
    assert_eq!(r.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(r.headers()[VARY], "accept-encoding");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"brotli copy");

    let r = get("/app.wasm", "gzip").await.unwrap();
    assert_eq!(r.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(r.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"gzip copy");

    let r = get("/app.wasm", "br;q=0, identity").await.unwrap();
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm plain");

    let r = get("/old.js", "br").await.unwrap();
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"console.log('new');");

    // Client-side routes and unknown files still get the app.
    for path in ["/equipment/search", "/missing.js"] {
        let r = get(path, "br").await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.text().await.unwrap(), INDEX, "{path}");
    }
}
