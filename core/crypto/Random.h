#pragma once
// Cryptographically secure random bytes (OpenSSL RAND_bytes).

#include <QByteArray>
#include <QString>

namespace softphone::crypto {

QByteArray randomBytes(int count);
// base64url (no padding) of `count` random bytes: tokens, endpoints, ids.
QString randomToken(int count = 16);
// A lowercase RFC 4122 version 4 UUID string.
QString randomUuid();

} // namespace softphone::crypto
