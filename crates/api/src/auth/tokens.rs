//! JWT access and refresh tokens: HS256 only, with `exp`, `aud`, `iss` and a token-type claim,
//! so a refresh token is never accepted where an access token is expected.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tejian_domain::account::Role;
use time::OffsetDateTime;

const AUDIENCE: &str = "tejian-api";
const ISSUER: &str = "tejian";

/// Which kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
}

/// The claims tejian signs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    /// Unique token id; for refresh tokens its hash is the session row's key.
    pub jti: String,
    /// Token type: access or refresh.
    pub typ: TokenKind,
    /// Session family: every refresh token of one login shares it.
    pub sid: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<String>,
    /// The user must change the password before anything else.
    #[serde(default)]
    pub pwc: bool,
}

impl Claims {
    /// The user id in `sub`.
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

/// A token could not be signed (no OS randomness, or an encoding failure).
#[derive(Debug, thiserror::Error)]
#[error("cannot sign token: {0}")]
pub struct SignError(String);

/// Signs and checks tokens with the server's secret.
#[derive(Clone)]
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner").finish_non_exhaustive()
    }
}

/// Who a token is for.
#[derive(Debug, Clone)]
pub struct TokenSubject {
    pub user_id: i64,
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub district_code: Option<String>,
    pub must_change_password: bool,
}

impl TokenSigner {
    pub fn new(secret: &str, access_ttl: Duration, refresh_ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            access_ttl,
            refresh_ttl,
        }
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    pub fn refresh_ttl(&self) -> Duration {
        self.refresh_ttl
    }

    /// Signs a token of `kind` for `subject` in session family `sid`; returns the token and its
    /// claims.
    pub fn sign(
        &self,
        kind: TokenKind,
        subject: &TokenSubject,
        sid: &str,
    ) -> Result<(String, Claims), SignError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let ttl = match kind {
            TokenKind::Access => self.access_ttl,
            TokenKind::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            sub: subject.user_id.to_string(),
            aud: AUDIENCE.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX)),
            jti: super::random_token(18).map_err(|e| SignError(e.to_string()))?,
            typ: kind,
            sid: sid.to_owned(),
            role: subject.role,
            ent: subject.enterprise_id,
            dist: subject.district_code.clone(),
            pwc: subject.must_change_password,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| SignError(e.to_string()))?;
        Ok((token, claims))
    }

    /// Checks signature, algorithm, audience, issuer, expiry and the token type.
    pub fn verify(&self, token: &str, expected: TokenKind) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = 1;
        let data =
            decode::<Claims>(token, &self.decoding, &validation).map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        if data.claims.typ != expected {
            return Err(TokenError::Invalid);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> TokenSubject {
        TokenSubject {
            user_id: 7,
            role: Role::Enterprise,
            enterprise_id: Some(3),
            district_code: None,
            must_change_password: false,
        }
    }

    #[test]
    fn access_and_refresh_are_not_interchangeable() {
        let s = TokenSigner::new(
            "k".repeat(32).as_str(),
            Duration::from_secs(60),
            Duration::from_secs(600),
        );
        let (access, _) = s.sign(TokenKind::Access, &subject(), "fam").unwrap();
        let (refresh, _) = s.sign(TokenKind::Refresh, &subject(), "fam").unwrap();
        assert_eq!(
            s.verify(&access, TokenKind::Access).unwrap().user_id(),
            Some(7)
        );
        assert_eq!(
            s.verify(&refresh, TokenKind::Access).unwrap_err(),
            TokenError::Invalid
        );
        assert_eq!(
            s.verify(&access, TokenKind::Refresh).unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn other_secret_is_refused() {
        let a = TokenSigner::new(
            &"a".repeat(32),
            Duration::from_secs(60),
            Duration::from_secs(60),
        );
        let b = TokenSigner::new(
            &"b".repeat(32),
            Duration::from_secs(60),
            Duration::from_secs(60),
        );
        let (t, _) = a.sign(TokenKind::Access, &subject(), "f").unwrap();
        assert_eq!(
            b.verify(&t, TokenKind::Access).unwrap_err(),
            TokenError::Invalid
        );
    }
}
