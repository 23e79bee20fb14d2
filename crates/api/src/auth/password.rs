//! argon2id password hashes, verified off the async runtime.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher as _, PasswordVerifier as _};

use crate::error::AppError;

/// Hashes a password with argon2id and a fresh salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Whether `password` matches the PHC `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashing and verification on the blocking pool, plus a dummy hash so that an unknown user name
/// costs the same time as a wrong password (manual §8.1: the two must look the same).
///
/// At most [`MAX_CONCURRENT_HASHES`] run at once: each argon2id call holds 19 MiB, and 64
/// simultaneous logins took the server to 3.5 GB in the benchmark. Others wait their turn (on
/// 2 cores they would not finish sooner anyway).
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    dummy_hash: String,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Most password hashes computed at the same time (fewer on a machine with fewer cores: argon2id
/// is CPU-bound, so more at once only adds 19 MiB each without adding throughput).
pub const MAX_CONCURRENT_HASHES: usize = 4;

fn concurrent_hashes() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, MAX_CONCURRENT_HASHES)
}

impl PasswordHasher {
    /// Prepares the dummy hash (start-up).
    pub fn new() -> Result<Self, AppError> {
        Ok(Self {
            dummy_hash: hash_password("tejian-dummy-password-for-timing")?,
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrent_hashes())),
        })
    }

    async fn permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)
    }

    /// Hashes off the runtime.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let permit = self.permit().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            hash_password(&password)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Verifies against `hash`, or against the dummy hash when there is no user (always false
    /// then, in the same time).
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.clone());
        let permit = self.permit().await?;
        let ok = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            verify_password(&password, &hash)
        })
        .await
        .map_err(AppError::internal)?;
        Ok(real && ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_its_password() {
        let h = hash_password("Correct-Horse-1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Correct-Horse-1", &h));
        assert!(!verify_password("correct-horse-1", &h));
        assert!(!verify_password("Correct-Horse-1", "not a hash"));
    }
}
