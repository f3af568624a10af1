#pragma once
// The symmetric steps that Web Push encryption (RFC 8291) and sealed push data
// share, each one OpenSSL 3 call: SHA-256, HKDF-SHA256 (RFC 5869, EVP_KDF "HKDF") and
// AES-GCM with a 16-byte tag (EVP aes-128-gcm or aes-256-gcm by key size).

#include <QByteArray>
#include <optional>

namespace softphone::crypto {

constexpr int kAesGcmTagSize = 16;

// SHA-256 digest (32 bytes).
QByteArray sha256(const QByteArray &data);

// HKDF-Extract then -Expand; empty on failure (length 1..8160).
QByteArray hkdfSha256(const QByteArray &salt, const QByteArray &ikm, const QByteArray &info,
                      int length);

// ciphertext || 16-byte tag; key 16 or 32 bytes, nonce 12 bytes; empty on failure.
QByteArray aesGcmEncrypt(const QByteArray &key, const QByteArray &nonce,
                         const QByteArray &plaintext, const QByteArray &aad = {});
// nullopt when the tag does not verify or the input is shorter than the tag.
std::optional<QByteArray> aesGcmDecrypt(const QByteArray &key, const QByteArray &nonce,
                                        const QByteArray &sealed, const QByteArray &aad = {});

} // namespace softphone::crypto
