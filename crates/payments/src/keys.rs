//! RSA keys and SHA256withRSA (PKCS#1 v1.5), shared by the WeChat Pay and Alipay adapters.
//!
//! Keys are read in every form the two providers hand out: PEM PKCS#8 (`BEGIN PRIVATE KEY`,
//! WeChat's `apiclient_key.pem`), PEM PKCS#1 (`BEGIN RSA PRIVATE KEY`), PEM SPKI
//! (`BEGIN PUBLIC KEY`, 微信支付公钥), PEM PKCS#1 public keys, and the bare base64 DER that
//! Alipay's key tool and console show (应用私钥, 支付宝公钥). Certificates are not read: take the
//! public key out of one with `openssl x509 -in cert.pem -pubkey -noout`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::rand_core::OsRng;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

use crate::ProviderError;

/// The smallest modulus accepted (both providers use RSA 2048).
const MIN_BITS: usize = 2048;

/// The DER bytes of a key given as bare base64 (line breaks allowed).
fn bare_der(text: &str, what: &str) -> Result<Vec<u8>, ProviderError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    BASE64
        .decode(compact)
        .map_err(|_| ProviderError::Config(format!("{what}: neither PEM nor base64")))
}

fn check_size(bits: usize, what: &str) -> Result<(), ProviderError> {
    if bits < MIN_BITS {
        return Err(ProviderError::Config(format!(
            "{what} has {bits} bits; at least {MIN_BITS} are needed"
        )));
    }
    Ok(())
}

/// Reads a private key: PEM PKCS#8 or PKCS#1, or bare base64 DER of either.
pub(crate) fn private_key(text: &str, what: &str) -> Result<SigningKey<Sha256>, ProviderError> {
    let text = text.trim();
    let bad = |_| ProviderError::Config(format!("{what}: not an RSA private key"));
    let key = if text.starts_with("-----BEGIN") {
        RsaPrivateKey::from_pkcs8_pem(text)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(text))
            .map_err(bad)?
    } else {
        let der = bare_der(text, what)?;
        RsaPrivateKey::from_pkcs8_der(&der)
            .or_else(|_| RsaPrivateKey::from_pkcs1_der(&der))
            .map_err(bad)?
    };
    check_size(key.size() * 8, what)?;
    Ok(SigningKey::<Sha256>::new(key))
}

/// Reads a public key: PEM SPKI or PKCS#1, or bare base64 DER of either.
pub(crate) fn public_key(text: &str, what: &str) -> Result<VerifyingKey<Sha256>, ProviderError> {
    let text = text.trim();
    if text.contains("BEGIN CERTIFICATE") {
        return Err(ProviderError::Config(format!(
            "{what}: a certificate, not a public key (openssl x509 -pubkey -noout)"
        )));
    }
    let bad = |_| ProviderError::Config(format!("{what}: not an RSA public key"));
    let key = if text.starts_with("-----BEGIN") {
        RsaPublicKey::from_public_key_pem(text)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(text))
            .map_err(bad)?
    } else {
        let der = bare_der(text, what)?;
        RsaPublicKey::from_public_key_der(&der)
            .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
            .map_err(bad)?
    };
    check_size(key.size() * 8, what)?;
    Ok(VerifyingKey::<Sha256>::new(key))
}

/// SHA256withRSA (PKCS#1 v1.5, blinded) over `message`, base64 (standard alphabet, padded).
pub(crate) fn sign(key: &SigningKey<Sha256>, message: &[u8]) -> Result<String, ProviderError> {
    let signature = key
        .try_sign_with_rng(&mut OsRng, message)
        .map_err(|e| ProviderError::Config(format!("signing failed: {e}")))?;
    Ok(BASE64.encode(signature.to_bytes()))
}

/// Checks a base64 SHA256withRSA signature; any failure is [`ProviderError::BadSignature`].
pub(crate) fn verify(
    key: &VerifyingKey<Sha256>,
    message: &[u8],
    signature_b64: &str,
) -> Result<(), ProviderError> {
    let bytes = BASE64
        .decode(signature_b64.trim())
        .map_err(|_| ProviderError::BadSignature("signature is not base64".to_owned()))?;
    let signature = Signature::try_from(bytes.as_slice())
        .map_err(|_| ProviderError::BadSignature("signature has the wrong form".to_owned()))?;
    key.verify(message, &signature)
        .map_err(|_| ProviderError::BadSignature("signature mismatch".to_owned()))
}
