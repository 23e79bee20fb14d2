//! Builds the server from [`Settings`]: database, migrations, reference data, demo data, routes.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use sea_orm::DatabaseConnection;
use tejian_domain::region::Jurisdictions;

use crate::auth::{PasswordHasher, TokenSigner};
use crate::config::Settings;
use crate::documents::Documents;
use crate::fees::Tariffs;
use crate::files::FileStore;
use crate::http::{self, middleware};
use crate::outbox::{self, HttpGatewaySender, LogSender, SmsSender};
use crate::payments::Providers;
use crate::ratelimit::RateLimiter;
use crate::seed::{self, SeedSize};
use crate::services::Services;
use crate::store;

/// Why the server could not start.
pub type StartError = Box<dyn std::error::Error + Send + Sync>;

/// A built, bound server.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    files: FileStore,
    services: web::Data<Services>,
    seeded_demo: bool,
}

/// Connects, migrates and syncs reference data.
pub async fn prepare_database(settings: &Settings) -> Result<DatabaseConnection, StartError> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let db = store::connect(&settings.database_url, settings.db_acquire_timeout).await?;
    store::migrate(&db).await?;
    store::reference::sync(&db, &jurisdictions_from_env()).await?;
    Ok(db)
}

/// The jurisdiction configuration: `TEJIAN_NANTAIHU_ZONE=off` folds 南太湖新区 back into 吴兴区.
pub fn jurisdictions_from_env() -> Jurisdictions {
    let off = std::env::var("TEJIAN_NANTAIHU_ZONE")
        .is_ok_and(|v| matches!(v.trim(), "0" | "off" | "false" | "no"));
    if off {
        Jurisdictions::huzhou_default().without_functional_zone("330590")
    } else {
        Jurisdictions::huzhou_default()
    }
}

impl Application {
    /// Prepares the database (and demo data when asked for and the database is empty), then binds.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let db = prepare_database(&settings).await?;
        let files = FileStore::from_url(&settings.storage_url, &settings.s3)?;
        // A wrong bucket, endpoint or key stops the start, not the first upload.
        files
            .check()
            .await
            .map_err(|e| format!("file store {}: {e}", files.describe()))?;
        let tariffs = Arc::new(match &settings.tariff_file {
            Some(path) => Tariffs::from_file(path)?,
            None => Tariffs::bundled()?,
        });
        let documents = Arc::new(Documents::new(
            settings.cjk_font.clone(),
            settings.public_url.clone(),
        ));
        let mut seeded_demo = false;
        if settings.demo && seed::is_empty(&db).await? {
            let report = seed::seed(&db, &files, SeedSize::Demo)
                .await
                .map_err(|e| format!("demo data: {e}"))?;
            tracing::info!(
                enterprises = report.enterprises,
                equipment = report.equipment,
                "demo data seeded"
            );
            seeded_demo = true;
        }
        let listener = TcpListener::bind(&settings.addr)?;
        let port = listener.local_addr()?.port();
        let services = web::Data::new(Services {
            db: db.clone(),
            tokens: TokenSigner::new(
                &settings.jwt_secret,
                settings.access_ttl,
                settings.refresh_ttl,
            ),
            hasher: PasswordHasher::new().map_err(|e| e.to_string())?,
            login_policy: settings.login.clone(),
            settings: Arc::new(settings.clone()),
            files: files.clone(),
            documents,
            tariffs,
            providers: Arc::new(Providers::from_env(
                &settings.jwt_secret,
                &settings.public_url,
            )?),
            overview_cache: Arc::default(),
        });
        if seeded_demo {
            seed::lifecycle(&services)
                .await
                .map_err(|e| format!("demo inspection data: {e}"))?;
            // The demo inbox has reminders from the first minute (demo-ent-1 and -2 included).
            services
                .run_reminders(crate::services::local_today())
                .await
                .map_err(|e| format!("demo reminders: {e}"))?;
        }
        if !settings.outbox_interval.is_zero() {
            let sender: Arc<dyn SmsSender> = match &settings.sms_gateway {
                Some((url, token)) => Arc::new(
                    HttpGatewaySender::new(url.clone(), token.clone())
                        .map_err(|e| e.to_string())?,
                ),
                None => match &settings.sms_log_file {
                    Some(path) => Arc::new(outbox::FileLogSender { path: path.clone() }),
                    None => Arc::new(LogSender),
                },
            };
            let worker = format!("{}-{}", std::process::id(), port);
            let reconciler = services.clone();
            let every = settings.payment_job_interval;
            tokio::spawn(async move {
                // Payments left waiting and invoices of paid notices.
                let mut tick = tokio::time::interval(every);
                loop {
                    tick.tick().await;
                    match reconciler.reconcile_payments().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(changed = n, "payments reconciled"),
                        Err(e) => tracing::warn!(error = %e, "payment reconciliation failed"),
                    }
                    match reconciler.issue_invoices(50).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(issued = n, "invoices issued"),
                        Err(e) => tracing::warn!(error = %e, "invoice job failed"),
                    }
                }
            });
            tokio::spawn(outbox::run_forever(
                db.clone(),
                sender,
                worker,
                settings.outbox_interval,
            ));
        }
        if !settings.reminder_interval.is_zero() {
            let reminders = services.clone();
            let every = settings.reminder_interval;
            tokio::spawn(async move {
                // At start, then every interval; the first tick is immediate.
                let mut tick = tokio::time::interval(every);
                loop {
                    tick.tick().await;
                    if let Err(e) = reminders
                        .run_reminders(crate::services::local_today())
                        .await
                    {
                        tracing::warn!(error = %e, "reminder pass failed");
                    }
                }
            });
        }
        // Public report verification: 20 requests a minute per address.
        let verify_limiter = web::Data::new(RateLimiter::new(20, Duration::from_secs(60)));
        // Online registration: `TEJIAN_REGISTRATION_RATE_LIMIT` submissions an hour per address.
        let registration_limiter = web::Data::new(http::registrations::RegistrationLimiter(
            RateLimiter::new(settings.registration_rate_limit, Duration::from_secs(3600)),
        ));
        let metrics = web::Data::new(middleware::Metrics::default());
        let body_timeout = web::Data::new(middleware::BodyIdleTimeout(settings.client_timeout));
        let spa_dir = settings.spa_dir.clone();
        if !spa_dir.join("index.html").is_file() {
            tracing::warn!(dir = %spa_dir.display(), "SPA not built (cargo xtask spa); serving a placeholder page");
        }
        let app_services = services.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(middleware::guard_input))
                .wrap(Compress::default())
                .wrap(from_fn(middleware::security_headers))
                .wrap(from_fn(middleware::observe))
                .app_data(services.clone())
                .app_data(metrics.clone())
                .app_data(body_timeout.clone())
                .app_data(verify_limiter.clone())
                .app_data(registration_limiter.clone())
                .configure(|cfg| http::configure(cfg, spa_dir.clone()))
        })
        .workers(settings.workers)
        // SIGTERM / SIGINT: stop accepting, let requests in flight finish, then exit.
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        // A client that has not sent its request head within this time gets 408 and is closed.
        .client_request_timeout(settings.client_timeout)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            db,
            files,
            services: app_services,
            seeded_demo,
        })
    }

    /// The bound port (tests bind port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database connection (tests seed through it).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The file store.
    pub fn files(&self) -> &FileStore {
        &self.files
    }

    /// The use cases, as the handlers get them (tests and jobs call them directly).
    pub fn services(&self) -> web::Data<Services> {
        self.services.clone()
    }

    /// Whether this start seeded the demo data.
    pub fn seeded_demo(&self) -> bool {
        self.seeded_demo
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
