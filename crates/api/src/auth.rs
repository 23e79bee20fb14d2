//! Password hashing (argon2id) and tokens (JWT access and refresh tokens).

mod password;
mod tokens;

pub use password::{PasswordHasher, hash_password, verify_password};
pub use tokens::{Claims, TokenError, TokenKind, TokenSigner, TokenSubject};

use base64::Engine;

/// `n` random bytes from the OS, URL-safe base64 without padding.
pub fn random_token(n: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

/// SHA-256 hex digest, used to store refresh-token ids so a database leak reveals no token.
pub fn sha256_hex(input: impl AsRef<[u8]>) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(input.as_ref()))
}
