//! The `s3://` backend: `object_store`'s S3 client, with requests sent through the project's own
//! reqwest (plain HTTP by default, HTTPS with the `tls` feature) and SigV4 computed with
//! RustCrypto's SHA-256 and HMAC. So the default build needs no C crypto library (the crate's
//! batteries-included `aws` feature would build aws-lc-sys); see docs/decisions.md "Files".

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use object_store::RetryConfig;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{
    ClientOptions, CryptoProvider, DigestAlgorithm, DigestContext, HmacContext, HttpClient,
    HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpResponse, HttpResponseBody,
    HttpService, Signer, SigningAlgorithm,
};
use sha2::{Digest, Sha256};

use super::StoreError;

/// How to reach an S3-compatible store (environment: see the README's configuration table).
#[derive(Clone, Default)]
pub struct S3Options {
    /// `AWS_ENDPOINT_URL`: the store's address for anything but AWS itself (MinIO, Ceph, OSS,
    /// COS …), e.g. `http://minio:9000`. Unset: AWS.
    pub endpoint: Option<String>,
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`), default `us-east-1` (what MinIO expects).
    pub region: Option<String>,
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: Option<String>,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: Option<String>,
    /// `AWS_SESSION_TOKEN`, for temporary credentials.
    pub session_token: Option<String>,
    /// `TEJIAN_S3_PATH_STYLE`: `endpoint/bucket/key` (true) or `bucket.endpoint/key` (false).
    /// Default: path style with an endpoint (MinIO), virtual-hosted on AWS.
    pub path_style: Option<bool>,
}

impl std::fmt::Debug for S3Options {
    // Settings are logged on errors: never the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Options")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .field("path_style", &self.path_style)
            .finish()
    }
}

impl S3Options {
    /// The client for `bucket`. Static keys are required: without them the S3 client would ask
    /// an instance-metadata address for credentials, which is not how tejian is deployed.
    pub(super) fn build(&self, bucket: &str) -> Result<AmazonS3, StoreError> {
        if bucket.is_empty() {
            return Err(StoreError::Config(
                "s3:// needs a bucket: s3://bucket[/prefix]".to_owned(),
            ));
        }
        let (Some(key_id), Some(secret)) = (&self.access_key_id, &self.secret_access_key) else {
            return Err(StoreError::Config(
                "s3:// needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned(),
            ));
        };
        let region = self
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".to_owned());
        let path_style = self.path_style.unwrap_or(self.endpoint.is_some());
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(region)
            .with_access_key_id(key_id)
            .with_secret_access_key(secret)
            .with_virtual_hosted_style_request(!path_style)
            .with_crypto_provider(Arc::new(RustCrypto))
            .with_http_connector(ReqwestConnector)
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if let Some(token) = &self.session_token {
            builder = builder.with_token(token);
        }
        if let Some(endpoint) = &self.endpoint {
            let endpoint = endpoint.trim_end_matches('/');
            let (scheme, host) = endpoint.split_once("://").ok_or_else(|| {
                StoreError::Config(format!(
                    "AWS_ENDPOINT_URL {endpoint:?} must start with http:// or https://"
                ))
            })?;
            if !matches!(scheme, "http" | "https") {
                return Err(StoreError::Config(format!(
                    "AWS_ENDPOINT_URL {endpoint:?} must start with http:// or https://"
                )));
            }
            // object_store takes a virtual-hosted endpoint with the bucket in it already.
            let endpoint = if path_style {
                endpoint.to_owned()
            } else {
                format!("{scheme}://{bucket}.{host}")
            };
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(scheme == "http");
        }
        Ok(builder.build()?)
    }
}

/// SHA-256 and HMAC-SHA256 for SigV4, from the RustCrypto crates the server already uses.
#[derive(Debug)]
struct RustCrypto;

impl CryptoProvider for RustCrypto {
    fn digest(&self, algorithm: DigestAlgorithm) -> object_store::Result<Box<dyn DigestContext>> {
        match algorithm {
            DigestAlgorithm::Sha256 => Ok(Box::new(Sha256Context {
                hasher: Sha256::new(),
                out: Vec::new(),
            })),
            other => Err(unsupported(format!("digest {other:?}"))),
        }
    }

    fn hmac(
        &self,
        algorithm: DigestAlgorithm,
        secret: &[u8],
    ) -> object_store::Result<Box<dyn HmacContext>> {
        match algorithm {
            DigestAlgorithm::Sha256 => {
                let mac = Hmac::<Sha256>::new_from_slice(secret)
                    .map_err(|e| unsupported(format!("HMAC key: {e}")))?;
                Ok(Box::new(HmacSha256Context {
                    mac,
                    out: Vec::new(),
                }))
            }
            other => Err(unsupported(format!("HMAC {other:?}"))),
        }
    }

    fn sign(
        &self,
        algorithm: SigningAlgorithm,
        _pem: &[u8],
    ) -> object_store::Result<Box<dyn Signer>> {
        // RSA signing is for Google service accounts; S3 never asks for it.
        Err(unsupported(format!("signing {algorithm:?}")))
    }
}

fn unsupported(what: String) -> object_store::Error {
    object_store::Error::NotSupported {
        source: format!("{what} is not available in tejian's crypto provider").into(),
    }
}

struct Sha256Context {
    hasher: Sha256,
    out: Vec<u8>,
}

impl DigestContext for Sha256Context {
    fn update(&mut self, data: &[u8]) {
        self.hasher.update(data);
    }

    fn finish(&mut self) -> object_store::Result<&[u8]> {
        self.out = self.hasher.finalize_reset().to_vec();
        Ok(&self.out)
    }
}

struct HmacSha256Context {
    mac: Hmac<Sha256>,
    out: Vec<u8>,
}

impl HmacContext for HmacSha256Context {
    fn update(&mut self, data: &[u8]) {
        self.mac.update(data);
    }

    fn finish(&mut self) -> object_store::Result<&[u8]> {
        self.out = self.mac.finalize_reset().into_bytes().to_vec();
        Ok(&self.out)
    }
}

/// Sends the S3 client's requests with reqwest (the server's HTTP client crate).
#[derive(Debug)]
struct ReqwestConnector;

impl HttpConnector for ReqwestConnector {
    // The S3 client's own options (proxies, certificates) are not used: tejian sets only the
    // endpoint, and these timeouts.
    fn connect(&self, _options: &ClientOptions) -> object_store::Result<HttpClient> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| object_store::Error::Generic {
                store: "S3",
                source: Box::new(e),
            })?;
        Ok(HttpClient::new(ReqwestService(client)))
    }
}

#[derive(Debug)]
struct ReqwestService(reqwest::Client);

#[async_trait::async_trait]
impl HttpService for ReqwestService {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = req.into_parts();
        let url = reqwest::Url::parse(&parts.uri.to_string())
            .map_err(|e| HttpError::new(HttpErrorKind::Request, e))?;
        // Files are at most a few MB and already in memory: one buffer, with its length known.
        let body = body.collect().await?.to_bytes();
        let mut request = reqwest::Request::new(parts.method, url);
        *request.headers_mut() = parts.headers;
        *request.body_mut() = Some(body.into());
        let response = self.0.execute(request).await.map_err(http_error)?;
        let response: http::Response<reqwest::Body> = response.into();
        let (parts, body) = response.into_parts();
        let body = HttpResponseBody::new(body.map_err(http_error));
        Ok(HttpResponse::from_parts(parts, body))
    }
}

/// Connection problems and timeouts are retried by the S3 client; others are not.
fn http_error(e: reqwest::Error) -> HttpError {
    let kind = if e.is_timeout() {
        HttpErrorKind::Timeout
    } else if e.is_connect() {
        HttpErrorKind::Connect
    } else if e.is_request() || e.is_body() {
        HttpErrorKind::Request
    } else if e.is_decode() {
        HttpErrorKind::Decode
    } else {
        HttpErrorKind::Unknown
    };
    HttpError::new(kind, e.without_url())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn crypto_matches_the_standard_vectors() {
        // FIPS 180-2 "abc", fed in two parts.
        let mut d = RustCrypto.digest(DigestAlgorithm::Sha256).unwrap();
        d.update(b"a");
        d.update(b"bc");
        assert_eq!(
            hex(d.finish().unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 4231 test case 2.
        let mut h = RustCrypto.hmac(DigestAlgorithm::Sha256, b"Jefe").unwrap();
        h.update(b"what do ya want ");
        h.update(b"for nothing?");
        assert_eq!(
            hex(h.finish().unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(RustCrypto.sign(SigningAlgorithm::RS256, b"").is_err());
    }
}
