#pragma once
// Push data sealed to the application server (docs/protocol.md "Push
// registration"): a device encrypts its push data (its Web Push subscription)
// to the application server's published push-data key, so the calling service
// and every caller handed the bytes see only ciphertext, and only the
// application server opens it. ECDH P-256 with a fresh ephemeral key, HKDF-SHA256
// and AES-256-GCM, all OpenSSL 3:
//
//   version (1 byte, 0x01) || key id (8) || ephemeral public point (65) || ciphertext || tag (16)
//
// The key id is the first 8 bytes of SHA-256 of the server key's public point:
// the server picks which of its keys (current or previous) opens the bytes.
// The header is the AES-GCM associated data, so it cannot be altered.

#include "EcKey.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace softphone::crypto {

constexpr quint8 kSealedPushDataVersion = 1;
constexpr int kSealedPushDataKeyIdSize = 8;
constexpr int kSealedPushDataHeaderSize = 1 + kSealedPushDataKeyIdSize + 65; // 74
constexpr int kSealedPushDataOverhead = kSealedPushDataHeaderSize + 16;      // 90

// The 8-byte id of a push-data key (public or private).
QByteArray sealedPushDataKeyId(const EcKey &key);

// Seals plaintext to the server's public key; empty (and *why) on failure.
// maxSize bounds the sealed result (the protocol allows 1024 bytes of push data).
QByteArray sealPushData(const EcKey &serverPublic, const QByteArray &plaintext, int maxSize = 1024,
                        QString *why = nullptr);

// The key id named by sealed bytes; nullopt if they are not sealed push data of
// a version this build knows.
std::optional<QByteArray> sealedPushDataKeyIdOf(const QByteArray &sealed);

// Opens bytes sealed to `key` (which must hold the private key); nullopt and
// *why when they are malformed, of an unknown version, sealed to another key or
// altered.
std::optional<QByteArray> openSealedPushData(const EcKey &key, const QByteArray &sealed,
                                             QString *why);

} // namespace softphone::crypto
