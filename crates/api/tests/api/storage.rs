//! Files in object storage: the upload, 营业执照 and report flows with `TEJIAN_STORAGE_URL=s3://…`
//! against a real S3-compatible server — moto_server (PyPI `moto[server]`, which `cargo xtask
//! setup` installs) on a loopback port, with request signatures and permissions enforced — and
//! the same flows on the in-memory store.
//!
//! Without moto the S3 tests say so on stderr and pass; `cargo xtask test` sets
//! `TEJIAN_S3_TEST_REQUIRED=1` when setup installed it, so CI cannot skip them silently.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tejian_api::config::Settings;
use tejian_api::files::{FileStore, S3Options};
use tejian_api::startup::Application;
use tejian_api::store::entity::{registration, report, stored_file};

use crate::helpers::{Backend, TestApp, spawn_app_with, tiny_png};
use crate::{inspection, registrations};

const BUCKET: &str = "tejian-test";
const PREFIX: &str = "tejian/files";

/// The upload, licence and report flows through the API; returns every key the store must hold
/// with the bytes the API handed back for it.
async fn file_flows(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;

    // 附件: upload, then download the same bytes.
    let photo = tiny_png();
    let info = ent
        .upload_file("现场照片.png", photo.clone())
        .await
        .unwrap();
    assert_eq!(ent.download_file(&info.id).await.unwrap(), photo);
    let upload = stored_file::Entity::find_by_id(info.id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    // 营业执照 of an online registration, read back by the institute.
    let mut licence = tiny_png();
    licence.extend_from_slice(b"licence");
    let form = registrations::application(&registrations::code("91330502MA2B3C4D6"));
    let receipt = app
        .client
        .submit_registration(&form, "营业执照.png", licence.clone())
        .await
        .unwrap();
    // A second one for the same enterprise is refused after its licence was stored: the
    // refusal removes it again.
    let refused = app
        .client
        .submit_registration(&form, "营业执照.png", licence.clone())
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(409));
    let registered = registration::Entity::find()
        .filter(registration::Column::ReferenceNo.eq(receipt.reference_no))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        staff.registration_licence(registered.id).await.unwrap(),
        licence
    );

    // A report: rendered and stored at 批准签发, downloaded as a zip once paid.
    let report_id = inspection::issued_report(app, &ent, &staff, 0).await;
    staff.mark_report_paid(report_id).await.unwrap();
    let (_, pdf) = inspection::unzip_single(&ent.download_report(report_id).await.unwrap());
    assert!(pdf.starts_with(b"%PDF-"));
    let report = report::Entity::find_by_id(report_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    vec![
        (upload.storage_key, photo),
        (registered.licence_key, licence),
        (report.pdf_key.unwrap(), pdf),
    ]
}

#[tokio::test]
async fn memory_store_serves_the_file_flows() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.storage_url = "memory://".to_owned()).await;
    let expected = file_flows(&app).await;
    for (key, bytes) in expected {
        assert_eq!(app.services.files.get(&key).await.unwrap(), bytes, "{key}");
    }
    // Nothing went to the local folder.
    assert!(!app.services.settings.data_dir.join("files").exists());
}

#[tokio::test]
async fn s3_store_serves_the_file_flows() {
    let Some(moto) = Moto::start("s3_store_serves_the_file_flows") else {
        return;
    };
    let keys = moto.enforce_signed_access().await;
    let s3 = moto.options(&keys);
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.storage_url = format!("s3://{BUCKET}/{PREFIX}");
        s.s3 = s3.clone();
    })
    .await;
    let expected = file_flows(&app).await;
    assert!(!app.services.settings.data_dir.join("files").exists());

    // Look into the bucket without tejian's client: authentication off again, plain requests.
    moto.reset_auth("inf").await;
    let listed = moto.list(&format!("{PREFIX}/")).await;
    for (key, bytes) in &expected {
        let object = format!("{PREFIX}/{key}");
        assert!(listed.contains(&object), "{object} not in {listed:?}");
        assert_eq!(&moto.object(&object).await, bytes, "{object}");
    }
    let licences = listed
        .iter()
        .filter(|k| k.starts_with(&format!("{PREFIX}/licence-")))
        .count();
    assert_eq!(
        licences, 1,
        "the refused registration's licence is removed: {listed:?}"
    );
    assert!(
        !listed.iter().any(|k| k.contains("probe-")),
        "the start-up probe is removed: {listed:?}"
    );
    // Nothing outside the prefix.
    assert_eq!(moto.list("").await.len(), listed.len());
}

#[tokio::test]
async fn s3_misconfiguration_stops_the_start() {
    let Some(moto) = Moto::start("s3_misconfiguration_stops_the_start") else {
        return;
    };
    let keys = moto.enforce_signed_access().await;
    let good = moto.options(&keys);

    // A wrong secret: the server's start-up check fails on the signature.
    let dir = std::env::temp_dir().join(format!("tejian-s3-{}", std::process::id()));
    let mut settings =
        Settings::for_database(&tejian_api::config::sqlite_url(&dir.join("t.db")), &dir);
    settings.storage_url = format!("s3://{BUCKET}/{PREFIX}");
    settings.s3 = S3Options {
        secret_access_key: Some("not-the-secret".to_owned()),
        ..good.clone()
    };
    let error = Application::build(settings)
        .await
        .err()
        .expect("a wrong secret must stop the start");
    let error = error.to_string();
    assert!(error.contains("file store"), "{error}");
    assert!(error.contains("SignatureDoesNotMatch"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);

    // A bucket that does not exist, and a server that is not there.
    let missing = FileStore::from_url("s3://no-such-bucket/files", &good).unwrap();
    assert!(missing.check().await.is_err());
    let nowhere = S3Options {
        endpoint: Some("http://127.0.0.1:9".to_owned()),
        ..good.clone()
    };
    let down = FileStore::from_url(&format!("s3://{BUCKET}"), &nowhere).unwrap();
    assert!(down.check().await.is_err());

    // The right keys work, and keys are still checked.
    let store = FileStore::from_url(&format!("s3://{BUCKET}/{PREFIX}"), &good).unwrap();
    store.check().await.unwrap();
    store.put("f_1", b"1".to_vec()).await.unwrap();
    assert_eq!(store.get("f_1").await.unwrap(), b"1");
    assert!(store.get("../f_1").await.is_err());
    store.remove("f_1").await.unwrap();
    store.remove("f_1").await.unwrap();
    assert!(store.get("f_1").await.is_err());
}

/// Access keys of an IAM user allowed `s3:*`.
struct Keys {
    id: String,
    secret: String,
}

/// moto_server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
    log: PathBuf,
    http: reqwest::Client,
}

impl Moto {
    /// Starts moto, or explains on stderr why the test is skipped (a panic when
    /// `TEJIAN_S3_TEST_REQUIRED` is set).
    fn start(test: &str) -> Option<Self> {
        match Self::try_start() {
            Ok(moto) => Some(moto),
            Err(reason) if std::env::var_os("TEJIAN_S3_TEST_REQUIRED").is_some() => {
                panic!("TEJIAN_S3_TEST_REQUIRED is set but {reason}")
            }
            Err(reason) => {
                // Straight to stderr: the test harness would swallow a println! of a pass.
                let _ = writeln!(
                    std::io::stderr(),
                    "storage::{test}: SKIPPED, {reason} (pip install \"moto[server]\")"
                );
                None
            }
        }
    }

    fn try_start() -> Result<Self, String> {
        let log = std::env::temp_dir().join(format!("tejian-moto-{:08x}.log", rand_u32()));
        let out = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("python3 cannot be started: {e}"))?;
        let mut moto = Self {
            child,
            endpoint: String::new(),
            log,
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = std::fs::read_to_string(&moto.log).unwrap_or_default();
            if let Some(port) = text
                .split("Running on http://127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
            {
                moto.endpoint = format!("http://127.0.0.1:{port}");
                return Ok(moto);
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!(
                    "moto_server is not available ({status}): {}",
                    text.lines().last().unwrap_or("")
                ));
            }
            if Instant::now() > deadline {
                return Err(format!("moto_server did not start in 30 s: {text}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// An action for moto while authentication is off: the Authorization header only tells
    /// moto's router which service is meant.
    async fn setup_call(
        &self,
        service: &str,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> String {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .http
            .request(method, format!("{}{path}", self.endpoint))
            .header("Authorization", fake_authorization(service))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{service} {path}: {status} {text}");
        text
    }

    /// Creates the bucket and an IAM user allowed `s3:*`, then makes moto check every request's
    /// SigV4 signature and permission from now on.
    async fn enforce_signed_access(&self) -> Keys {
        let iam = |action: &'static str, extra: &'static [(&'static str, &'static str)]| {
            let mut form = vec![("Action", action), ("Version", "2010-05-08")];
            form.extend_from_slice(extra);
            form
        };
        self.setup_call(
            "iam",
            reqwest::Method::POST,
            "/",
            &iam("CreateUser", &[("UserName", "tejian")]),
        )
        .await;
        self.setup_call(
            "iam",
            reqwest::Method::POST,
            "/",
            &iam(
                "PutUserPolicy",
                &[
                    ("UserName", "tejian"),
                    ("PolicyName", "files"),
                    (
                        "PolicyDocument",
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
                    ),
                ],
            ),
        )
        .await;
        let created = self
            .setup_call(
                "iam",
                reqwest::Method::POST,
                "/",
                &iam("CreateAccessKey", &[("UserName", "tejian")]),
            )
            .await;
        let keys = Keys {
            id: between(&created, "<AccessKeyId>", "</AccessKeyId>"),
            secret: between(&created, "<SecretAccessKey>", "</SecretAccessKey>"),
        };
        self.setup_call("s3", reqwest::Method::PUT, &format!("/{BUCKET}"), &[])
            .await;
        self.reset_auth("0").await;
        // From here on a request without a valid signature is refused (moto answers 500 to one
        // without any Authorization header, so the check sends a made-up one).
        let forged = self
            .http
            .get(format!("{}/{BUCKET}?list-type=2", self.endpoint))
            .header("Authorization", fake_authorization("s3"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "moto must enforce signatures now");
        keys
    }

    /// Sets how many more requests moto accepts without checking signatures (`inf`: all).
    async fn reset_auth(&self, count: &str) {
        let response = self
            .http
            .post(format!("{}/moto-api/reset-auth", self.endpoint))
            .body(count.to_owned())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }

    fn options(&self, keys: &Keys) -> S3Options {
        S3Options {
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".to_owned()),
            access_key_id: Some(keys.id.clone()),
            secret_access_key: Some(keys.secret.clone()),
            session_token: None,
            path_style: None,
        }
    }

    /// Keys in the bucket under `prefix` (ListObjectsV2, not signed by tejian's client).
    async fn list(&self, prefix: &str) -> Vec<String> {
        let xml = self
            .http
            .get(format!(
                "{}/{BUCKET}?list-type=2&prefix={}",
                self.endpoint,
                encode(prefix)
            ))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(xml.contains("<ListBucketResult"), "{xml}");
        xml.split("<Key>")
            .skip(1)
            .filter_map(|part| part.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    /// An object's bytes (GetObject, not signed by tejian's client).
    async fn object(&self, key: &str) -> Vec<u8> {
        let response = self
            .http
            .get(format!("{}/{BUCKET}/{key}", self.endpoint))
            // Not checked with authentication off; without it moto applies the object's ACL.
            .header("Authorization", fake_authorization("s3"))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{key}: {}",
            response.status()
        );
        response.bytes().await.unwrap().to_vec()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A SigV4 header with a made-up key and signature: it names the service for moto's router.
fn fake_authorization(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/{service}/aws4_request, \
         SignedHeaders=host, Signature=0"
    )
}

fn between(text: &str, start: &str, end: &str) -> String {
    text.split(start)
        .nth(1)
        .and_then(|rest| rest.split(end).next())
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        .to_owned()
}

/// Percent-encoding for form values and query strings (RFC 3986 unreserved kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn rand_u32() -> u32 {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).unwrap();
    u32::from_le_bytes(bytes)
}
