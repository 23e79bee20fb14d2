//! Configuration, from the environment only (DESIGN.md "Runtime"). Every variable is optional for
//! a local run; see the README for the full list.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} 的值无效: {detail}")]
    Invalid { name: &'static str, detail: String },
    #[error("使用外部数据库时必须设置 TEJIAN_JWT_SECRET（至少 32 个字符）")]
    MissingJwtSecret,
    #[error("无法读写数据目录 {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Limits on failed logins (DESIGN.md: slow down, then lock for a bounded time).
#[derive(Debug, Clone)]
pub struct LoginPolicy {
    /// Failures of one account name within `window` before it is locked.
    pub max_failures_per_account: u32,
    /// Failures from one client address within `window` before it is locked.
    pub max_failures_per_addr: u32,
    /// The window failures are counted in.
    pub window: Duration,
    /// How long a lock lasts; it expires by itself.
    pub lock_for: Duration,
    /// Added delay per failure beyond the second, capped at `max_delay`.
    pub delay_step: Duration,
    pub max_delay: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_addr: 30,
            window: Duration::from_secs(15 * 60),
            lock_for: Duration::from_secs(15 * 60),
            delay_step: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        }
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `TEJIAN_ADDR`, default `127.0.0.1:8080`.
    pub addr: String,
    /// `TEJIAN_DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`, default the SQLite file `tejian.db` in the data dir.
    pub database_url: String,
    /// Whether `database_url` is the embedded default.
    pub embedded_database: bool,
    /// `TEJIAN_DEMO`: seed demo data into an empty database (default on only with the embedded
    /// SQLite default).
    pub demo: bool,
    /// `TEJIAN_JWT_SECRET`; for the embedded default a random secret kept in the data dir.
    pub jwt_secret: String,
    /// `TEJIAN_STORAGE_URL`: where files go (a local folder by default; `s3://bucket/prefix`,
    /// `memory://`).
    pub storage_url: String,
    /// `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`, `TEJIAN_S3_PATH_STYLE`: the S3-compatible store of an `s3://` URL.
    pub s3: crate::files::S3Options,
    /// `TEJIAN_SPA_DIR`, default `frontend/dist`: the built SPA served at `/`.
    pub spa_dir: PathBuf,
    /// `TEJIAN_ACCESS_TTL_SECONDS`, default 900.
    pub access_ttl: Duration,
    /// `TEJIAN_REFRESH_TTL_SECONDS`, default 14 days.
    pub refresh_ttl: Duration,
    /// `TEJIAN_LOGIN_LOCK_SECONDS` (lock duration, default 900), `TEJIAN_LOGIN_MAX_FAILURES`
    /// (per account, default 5).
    pub login: LoginPolicy,
    /// `TEJIAN_COOKIE_SECURE`: mark the refresh cookie `Secure` (default: on unless bound to
    /// loopback, where browsers are served over plain http).
    pub cookie_secure: bool,
    /// `TEJIAN_LOG_FORMAT`: `text` (default) or `json`.
    pub log_json: bool,
    /// `TEJIAN_WORKERS`: HTTP worker threads (default: one per core, 2 to 8).
    pub workers: usize,
    /// `TEJIAN_PUBLIC_URL`: the address people reach the SPA at, printed in report QR codes
    /// (default `http://` + `TEJIAN_ADDR`).
    pub public_url: String,
    /// `TEJIAN_CJK_FONT`: the font file for PDFs (default: searched among system fonts).
    pub cjk_font: Option<PathBuf>,
    /// `TEJIAN_TARIFF_FILE`: the fee tariff book (default: the bundled Zhejiang reference book).
    pub tariff_file: Option<PathBuf>,
    /// `TEJIAN_SMS_URL` and `TEJIAN_SMS_TOKEN`: the HTTP SMS gateway; unset, SMS go to the log.
    pub sms_gateway: Option<(String, String)>,
    /// `TEJIAN_OUTBOX_INTERVAL_SECONDS`: how often queued messages are sent (default 5; 0 stops
    /// the job, e.g. on nodes that should not send).
    pub outbox_interval: Duration,
    /// `TEJIAN_REMINDER_INTERVAL_SECONDS`: how often the inspection-reminder pass runs (default
    /// 3600; it also runs at start; 0 stops it on this node). Reruns are harmless: each reminder
    /// is sent once per equipment, due date and threshold.
    pub reminder_interval: Duration,
    /// `TEJIAN_INVOICE_KIND`: `tax_e_invoice` (数电票, default) or `fiscal_receipt` (财政电子票据).
    pub invoice_kind: tejian_domain::invoice::InvoiceKind,
    /// `TEJIAN_INVOICE_TAX_RATE`: the VAT rate of 数电票 lines (default 0.06, 鉴证咨询服务).
    pub invoice_tax_rate: rust_decimal::Decimal,
    /// `TEJIAN_INSTITUTE_CREDIT_CODE`: the seller's 统一社会信用代码 on invoices.
    pub institute_credit_code: String,
    /// `TEJIAN_AUTO_PAYMENT_NOTICE`: issue the payment notice when an application is accepted
    /// (default on); off, staff issue notices themselves (`POST /payment-notices`).
    pub auto_payment_notice: bool,
    /// `TEJIAN_REGISTRATION_RATE_LIMIT`: online registrations (`POST /registrations`, refused
    /// ones included) accepted per client address per hour (default 10).
    pub registration_rate_limit: u32,
    /// `TEJIAN_TRUSTED_PROXIES`: proxies whose `X-Forwarded-For` names the client (default none:
    /// the TCP peer is the client).
    pub trusted_proxies: TrustedProxies,
    /// `TEJIAN_SMS_LOG_FILE`: with the log sender (no gateway), also append every SMS as one JSON
    /// line `{"id","to","text"}` to this file, so browser tests and demos can read the
    /// credentials an SMS carries. Never set it in production: the file holds passwords.
    pub sms_log_file: Option<PathBuf>,
    /// `TEJIAN_DB_ACQUIRE_TIMEOUT_SECONDS`: how long a request waits for a database connection
    /// before it answers 503 `database_unavailable` (default 5).
    pub db_acquire_timeout: Duration,
    /// `TEJIAN_SHUTDOWN_TIMEOUT_SECONDS`: on SIGTERM or SIGINT the server stops accepting
    /// connections and lets requests in flight finish for at most this long (default 30).
    pub shutdown_timeout: Duration,
    /// `TEJIAN_PAYMENT_JOB_INTERVAL_SECONDS`: how often waiting payments are reconciled and
    /// invoices of paid notices issued (default 20; runs with the outbox sender, whose `0` also
    /// turns it off).
    pub payment_job_interval: Duration,
    /// `TEJIAN_CLIENT_TIMEOUT_SECONDS` (default 10): how long a client may take to send its
    /// request head, and to send each next piece of its body; a slower client is cut off (408 /
    /// connection closed), so slow or stalled clients cannot hold connections open.
    pub client_timeout: Duration,
}

/// See [`Settings::client_timeout`].
pub const DEFAULT_CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Invalid {
            name,
            detail: format!("应为 true 或 false，而不是 {value:?}"),
        }),
    }
}

fn parse_u64(name: &'static str) -> Result<Option<u64>, ConfigError> {
    var(name)
        .map(|v| {
            v.parse::<u64>().map_err(|_| ConfigError::Invalid {
                name,
                detail: format!("应为非负整数，而不是 {v:?}"),
            })
        })
        .transpose()
}

impl Settings {
    /// Reads the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let addr = var("TEJIAN_ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let data_dir = PathBuf::from(var("TEJIAN_DATA_DIR").unwrap_or_else(|| "./data".to_owned()));
        let (database_url, embedded_database) = match var("DATABASE_URL") {
            Some(url) => (url, false),
            None => (sqlite_url(&data_dir.join("tejian.db")), true),
        };
        let demo = match var("TEJIAN_DEMO") {
            Some(v) => parse_bool("TEJIAN_DEMO", &v)?,
            None => embedded_database,
        };
        let jwt_secret = match var("TEJIAN_JWT_SECRET") {
            Some(s) if s.len() >= 32 => s,
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "TEJIAN_JWT_SECRET",
                    detail: "至少 32 个字符".to_owned(),
                });
            }
            None if embedded_database => local_secret(&data_dir)?,
            None => return Err(ConfigError::MissingJwtSecret),
        };
        let storage_url = var("TEJIAN_STORAGE_URL")
            .unwrap_or_else(|| format!("file://{}", data_dir.join("files").display()));
        let s3 = crate::files::S3Options {
            endpoint: var("AWS_ENDPOINT_URL"),
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
            access_key_id: var("AWS_ACCESS_KEY_ID"),
            secret_access_key: var("AWS_SECRET_ACCESS_KEY"),
            session_token: var("AWS_SESSION_TOKEN"),
            path_style: var("TEJIAN_S3_PATH_STYLE")
                .map(|v| parse_bool("TEJIAN_S3_PATH_STYLE", &v))
                .transpose()?,
        };
        let spa_dir =
            PathBuf::from(var("TEJIAN_SPA_DIR").unwrap_or_else(|| "frontend/dist".to_owned()));
        let mut login = LoginPolicy::default();
        if let Some(secs) = parse_u64("TEJIAN_LOGIN_LOCK_SECONDS")? {
            login.lock_for = Duration::from_secs(secs);
        }
        if let Some(n) = parse_u64("TEJIAN_LOGIN_MAX_FAILURES")? {
            login.max_failures_per_account = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        }
        let loopback =
            addr.starts_with("127.") || addr.starts_with("localhost") || addr.starts_with("[::1]");
        let cookie_secure = match var("TEJIAN_COOKIE_SECURE") {
            Some(v) => parse_bool("TEJIAN_COOKIE_SECURE", &v)?,
            None => !loopback,
        };
        Ok(Self {
            data_dir,
            database_url,
            embedded_database,
            demo,
            jwt_secret,
            storage_url,
            s3,
            spa_dir,
            access_ttl: Duration::from_secs(parse_u64("TEJIAN_ACCESS_TTL_SECONDS")?.unwrap_or(900)),
            refresh_ttl: Duration::from_secs(
                parse_u64("TEJIAN_REFRESH_TTL_SECONDS")?.unwrap_or(14 * 24 * 3600),
            ),
            login,
            cookie_secure,
            log_json: var("TEJIAN_LOG_FORMAT").is_some_and(|v| v.eq_ignore_ascii_case("json")),
            workers: match parse_u64("TEJIAN_WORKERS")? {
                Some(n) => usize::try_from(n.clamp(1, 64)).unwrap_or(1),
                None => std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)),
            },
            public_url: var("TEJIAN_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")),
            cjk_font: var("TEJIAN_CJK_FONT").map(PathBuf::from),
            tariff_file: var("TEJIAN_TARIFF_FILE").map(PathBuf::from),
            sms_gateway: match (var("TEJIAN_SMS_URL"), var("TEJIAN_SMS_TOKEN")) {
                (Some(url), Some(token)) => Some((url, token)),
                (Some(_), None) => {
                    return Err(ConfigError::Invalid {
                        name: "TEJIAN_SMS_TOKEN",
                        detail: "设置 TEJIAN_SMS_URL 时必须同时设置".to_owned(),
                    });
                }
                _ => None,
            },
            outbox_interval: Duration::from_secs(
                parse_u64("TEJIAN_OUTBOX_INTERVAL_SECONDS")?.unwrap_or(5),
            ),
            reminder_interval: Duration::from_secs(
                parse_u64("TEJIAN_REMINDER_INTERVAL_SECONDS")?.unwrap_or(3600),
            ),
            invoice_kind: match var("TEJIAN_INVOICE_KIND") {
                Some(v) => v.parse().map_err(|_| ConfigError::Invalid {
                    name: "TEJIAN_INVOICE_KIND",
                    detail: "应为 tax_e_invoice 或 fiscal_receipt".to_owned(),
                })?,
                None => tejian_domain::invoice::InvoiceKind::TaxEInvoice,
            },
            invoice_tax_rate: match var("TEJIAN_INVOICE_TAX_RATE") {
                Some(v) => v
                    .parse::<rust_decimal::Decimal>()
                    .ok()
                    .filter(|r| !r.is_sign_negative() && *r < rust_decimal::Decimal::ONE)
                    .ok_or_else(|| ConfigError::Invalid {
                        name: "TEJIAN_INVOICE_TAX_RATE",
                        detail: "应为 0 到 1 之间的小数，如 0.06".to_owned(),
                    })?,
                None => rust_decimal::Decimal::new(6, 2),
            },
            institute_credit_code: match var("TEJIAN_INSTITUTE_CREDIT_CODE") {
                Some(v) => tejian_domain::CreditCode::parse(&v)
                    .map_err(|e| ConfigError::Invalid {
                        name: "TEJIAN_INSTITUTE_CREDIT_CODE",
                        detail: e.to_string(),
                    })?
                    .as_str()
                    .to_owned(),
                None => crate::services::invoices::DEFAULT_INSTITUTE_CREDIT_CODE.to_owned(),
            },
            auto_payment_notice: match var("TEJIAN_AUTO_PAYMENT_NOTICE") {
                Some(v) => parse_bool("TEJIAN_AUTO_PAYMENT_NOTICE", &v)?,
                None => true,
            },
            registration_rate_limit: match parse_u64("TEJIAN_REGISTRATION_RATE_LIMIT")? {
                Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
                None => 10,
            },
            sms_log_file: var("TEJIAN_SMS_LOG_FILE").map(PathBuf::from),
            db_acquire_timeout: Duration::from_secs(
                parse_u64("TEJIAN_DB_ACQUIRE_TIMEOUT_SECONDS")?
                    .unwrap_or(5)
                    .max(1),
            ),
            shutdown_timeout: Duration::from_secs(
                parse_u64("TEJIAN_SHUTDOWN_TIMEOUT_SECONDS")?.unwrap_or(30),
            ),
            payment_job_interval: Duration::from_secs(
                parse_u64("TEJIAN_PAYMENT_JOB_INTERVAL_SECONDS")?
                    .unwrap_or(20)
                    .max(1),
            ),
            client_timeout: match parse_u64("TEJIAN_CLIENT_TIMEOUT_SECONDS")? {
                Some(0) => {
                    return Err(ConfigError::Invalid {
                        name: "TEJIAN_CLIENT_TIMEOUT_SECONDS",
                        detail: "应为正整数（秒）".to_owned(),
                    });
                }
                Some(n) => Duration::from_secs(n),
                None => DEFAULT_CLIENT_TIMEOUT,
            },
            trusted_proxies: match var("TEJIAN_TRUSTED_PROXIES") {
                Some(v) => TrustedProxies::parse(&v).map_err(|detail| ConfigError::Invalid {
                    name: "TEJIAN_TRUSTED_PROXIES",
                    detail,
                })?,
                None => TrustedProxies::default(),
            },
            addr,
        })
    }

    /// Settings for tests and tools: the given database, a fixed secret, port 0.
    pub fn for_database(database_url: &str, data_dir: &Path) -> Self {
        Self {
            addr: "127.0.0.1:0".to_owned(),
            data_dir: data_dir.to_owned(),
            database_url: database_url.to_owned(),
            embedded_database: false,
            demo: false,
            jwt_secret: "test-secret-test-secret-test-secret-0001".to_owned(),
            storage_url: format!("file://{}", data_dir.join("files").display()),
            s3: crate::files::S3Options::default(),
            spa_dir: data_dir.join("spa"),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(3600),
            login: LoginPolicy::default(),
            cookie_secure: false,
            log_json: false,
            workers: 1,
            public_url: "http://127.0.0.1:8080".to_owned(),
            cjk_font: None,
            tariff_file: None,
            sms_gateway: None,
            // Tests drive the outbox themselves.
            outbox_interval: Duration::ZERO,
            // Tests run the reminder pass with the dates they choose.
            reminder_interval: Duration::ZERO,
            invoice_kind: tejian_domain::invoice::InvoiceKind::TaxEInvoice,
            invoice_tax_rate: rust_decimal::Decimal::new(6, 2),
            institute_credit_code: crate::services::invoices::DEFAULT_INSTITUTE_CREDIT_CODE
                .to_owned(),
            // Tests issue notices explicitly.
            auto_payment_notice: false,
            registration_rate_limit: 10,
            sms_log_file: None,
            db_acquire_timeout: Duration::from_secs(10),
            shutdown_timeout: Duration::from_secs(30),
            payment_job_interval: Duration::from_secs(20),
            client_timeout: DEFAULT_CLIENT_TIMEOUT,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// The proxies in front of the server (addresses or CIDR ranges). Login throttling and rate
/// limits count per client address; behind a proxy every request would otherwise come from the
/// proxy, and one client's failures would lock out everyone.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// `10.0.0.5, 172.30.0.0/24, ::1` — comma or space separated.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for item in list.split([',', ' ']).filter(|s| !s.is_empty()) {
            let (addr, bits) = item.split_once('/').unwrap_or((item, ""));
            let addr: IpAddr = addr.parse().map_err(|_| {
                format!("{item:?} 不是 IP 地址或网段（如 172.30.0.10 或 10.0.0.0/8）")
            })?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{item:?} 的前缀长度无效"))?
            };
            ranges.push((addr, bits));
        }
        Ok(Self(ranges))
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|(net, bits)| match (net, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(*bits)).unwrap_or(0);
                u32::from(*net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*bits)).unwrap_or(0);
                u128::from(*net) & mask == u128::from(ip) & mask
            }
            _ => false,
        })
    }

    /// The client of a request from `peer`: the peer itself unless it is a trusted proxy; then
    /// the nearest address in `X-Forwarded-For` (read from the right, the end each proxy
    /// appends to) that is not a trusted proxy. Entries left of it are the client's own claims
    /// and never used.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        for hop in forwarded_for.unwrap_or("").rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.contains(client) {
                        break;
                    }
                }
                // Garbage: stop at the last hop a trusted proxy vouched for.
                Err(_) => break,
            }
        }
        client
    }
}

/// The sqlx URL of a SQLite file, created when missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// A random signing secret kept in the data dir, so a local server's sessions survive restarts.
fn local_secret(data_dir: &Path) -> Result<String, ConfigError> {
    let io = |source| ConfigError::DataDir {
        path: data_dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(existing);
        }
    }
    let secret =
        crate::auth::random_token(32).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    std::fs::write(&path, &secret).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn trusted_proxies_name_the_client() {
        let none = TrustedProxies::default();
        // Without trusted proxies the header is ignored.
        assert_eq!(
            none.client_ip(ip("172.30.0.10"), Some("203.0.113.7")),
            ip("172.30.0.10")
        );

        let proxies = TrustedProxies::parse("172.30.0.10, 10.0.0.0/8 ::1").unwrap();
        assert_eq!(
            proxies.client_ip(ip("172.30.0.10"), Some("203.0.113.7")),
            ip("203.0.113.7")
        );
        // A client's own claim on the left is never taken.
        assert_eq!(
            proxies.client_ip(ip("172.30.0.10"), Some("1.2.3.4, 203.0.113.7")),
            ip("203.0.113.7")
        );
        // Through two trusted hops.
        assert_eq!(
            proxies.client_ip(ip("172.30.0.10"), Some("1.2.3.4, 203.0.113.7, 10.1.2.3")),
            ip("203.0.113.7")
        );
        // Not from a trusted proxy: the peer, whatever the header says.
        assert_eq!(
            proxies.client_ip(ip("203.0.113.9"), Some("1.2.3.4")),
            ip("203.0.113.9")
        );
        assert_eq!(
            proxies.client_ip(ip("172.30.0.11"), Some("1.2.3.4")),
            ip("172.30.0.11")
        );
        // No header, or garbage: the last address a trusted proxy vouched for.
        assert_eq!(
            proxies.client_ip(ip("172.30.0.10"), None),
            ip("172.30.0.10")
        );
        assert_eq!(
            proxies.client_ip(ip("172.30.0.10"), Some("<script>, 10.9.9.9")),
            ip("10.9.9.9")
        );
        // IPv4-mapped IPv6 peers count as their IPv4 address; IPv6 works too.
        assert_eq!(
            proxies.client_ip(ip("::ffff:172.30.0.10"), Some("2001:db8::1")),
            ip("2001:db8::1")
        );
        assert_eq!(
            proxies.client_ip(ip("::1"), Some("203.0.113.7")),
            ip("203.0.113.7")
        );
        let everyone = TrustedProxies::parse("0.0.0.0/0").unwrap();
        assert_eq!(
            everyone.client_ip(ip("9.9.9.9"), Some("8.8.8.8")),
            ip("8.8.8.8")
        );

        for bad in ["proxy", "10.0.0.0/33", "::1/129", "10.0.0.1/x"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }
}
