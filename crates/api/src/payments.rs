//! The payment providers this server uses: the sandbox always (local runs, demos, tests), WeChat
//! Pay and Alipay when configured.

use std::sync::Arc;

use tejian_domain::payment::Provider;
use tejian_payments::PaymentProvider;
use tejian_payments::sandbox::Sandbox;

/// How long a QR code stays valid.
pub const QR_VALID_MINUTES: i64 = 15;

/// The configured providers.
#[derive(Debug, Clone)]
pub struct Providers {
    pub sandbox: Arc<Sandbox>,
    pub wechat: Option<Arc<dyn PaymentProvider>>,
    pub alipay: Option<Arc<dyn PaymentProvider>>,
    /// `{public_url}/api/v1/payments/notify/` + provider name.
    pub notify_base: String,
}

impl Providers {
    /// The sandbox only, signing with a key derived from `secret` (the JWT secret: stable across
    /// restarts, never shown).
    pub fn sandbox_only(secret: &str, public_url: &str) -> Result<Self, String> {
        use sha2::Digest;
        let key = sha2::Sha256::digest(format!("tejian-sandbox:{secret}").as_bytes()).to_vec();
        let base = public_url.trim_end_matches('/');
        let sandbox = Sandbox::new(key, "TEJIAN-SANDBOX", &format!("{base}/sandbox/pay"))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            sandbox: Arc::new(sandbox),
            wechat: None,
            alipay: None,
            notify_base: format!("{base}/api/v1/payments/notify/"),
        })
    }

    /// The provider, if configured.
    pub fn get(&self, provider: Provider) -> Option<Arc<dyn PaymentProvider>> {
        match provider {
            Provider::Sandbox => Some(self.sandbox.clone() as Arc<dyn PaymentProvider>),
            Provider::Wechat => self.wechat.clone(),
            Provider::Alipay => self.alipay.clone(),
        }
    }
}
