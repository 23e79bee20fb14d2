//! Password hashing (argon2id) and tokens (JWT access and refresh tokens).

mod password;
mod tokens;

pub use password::{PasswordHasher, hash_password, verify_password};
pub use tokens::{Claims, TokenError, TokenKind, TokenSigner, TokenSubject};

use base64::Engine;

/// `n` random bytes from the OS, URL-safe base64 without padding.
pub fn random_token(n: usize) -> String {
    let mut buf = vec![0u8; n];
    if let Err(e) = getrandom::fill(&mut buf) {
        // Without OS randomness no secret can be made safely; this only happens at start-up
        // on a broken machine.
        panic!("operating system randomness unavailable: {e}");
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// SHA-256 hex digest, used to store refresh-token ids so a database leak reveals no token.
pub fn sha256_hex(input: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(input.as_bytes()))
}
