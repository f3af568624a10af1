#pragma once
// Slow salted password hashes with OpenSSL's scrypt (EVP_KDF "SCRYPT").
// Stored form: "scrypt$N$r$p$<salt b64url>$<hash b64url>", so parameters can grow later.

#include <QByteArray>
#include <QString>

namespace softphone::crypto {

QString hashPassword(const QByteArray &password);
bool verifyPassword(const QByteArray &password, const QString &stored);

} // namespace softphone::crypto
