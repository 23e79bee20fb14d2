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

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn read_key(name: &str) -> Result<String, String> {
    let path = env(name).ok_or_else(|| format!("{name} is required"))?;
    std::fs::read_to_string(&path).map_err(|e| format!("{name}: cannot read {path}: {e}"))
}

impl Providers {
    /// The sandbox plus WeChat Pay when `TEJIAN_WECHAT_MCHID` is set and Alipay when
    /// `TEJIAN_ALIPAY_APP_ID` is set (the other variables of each are then required; keys are
    /// read from files, never from the environment itself).
    pub fn from_env(secret: &str, public_url: &str) -> Result<Self, String> {
        let mut providers = Self::sandbox_only(secret, public_url)?;
        if let Some(mchid) = env("TEJIAN_WECHAT_MCHID") {
            let mut config = tejian_payments::wechat::WechatPayConfig::new(
                &env("TEJIAN_WECHAT_APPID").ok_or("TEJIAN_WECHAT_APPID is required")?,
                &mchid,
                &read_key("TEJIAN_WECHAT_PRIVATE_KEY_FILE")?,
                &env("TEJIAN_WECHAT_SERIAL_NO").ok_or("TEJIAN_WECHAT_SERIAL_NO is required")?,
                &read_key("TEJIAN_WECHAT_APIV3_KEY_FILE")?,
                &read_key("TEJIAN_WECHAT_PLATFORM_PUBLIC_KEY_FILE")?,
                &env("TEJIAN_WECHAT_PLATFORM_KEY_ID")
                    .ok_or("TEJIAN_WECHAT_PLATFORM_KEY_ID is required")?,
            );
            config.apiv3_key = config.apiv3_key.trim().to_owned();
            if let Some(url) = env("TEJIAN_WECHAT_BASE_URL") {
                config.base_url = url;
            }
            let wechat = tejian_payments::wechat::WechatPay::new(config)
                .map_err(|e| format!("WeChat Pay: {e}"))?;
            providers.wechat = Some(Arc::new(wechat));
        }
        if let Some(app_id) = env("TEJIAN_ALIPAY_APP_ID") {
            let mut config = tejian_payments::alipay::AlipayConfig::new(
                &app_id,
                &read_key("TEJIAN_ALIPAY_PRIVATE_KEY_FILE")?,
                &read_key("TEJIAN_ALIPAY_PUBLIC_KEY_FILE")?,
            );
            if let Some(url) = env("TEJIAN_ALIPAY_GATEWAY_URL") {
                config.gateway_url = url;
            }
            config.seller_id = env("TEJIAN_ALIPAY_SELLER_ID");
            let alipay =
                tejian_payments::alipay::Alipay::new(config).map_err(|e| format!("Alipay: {e}"))?;
            providers.alipay = Some(Arc::new(alipay));
        }
        Ok(providers)
    }
}
