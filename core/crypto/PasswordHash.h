#pragma once
// Slow salted password hashes with OpenSSL's scrypt (EVP_KDF "SCRYPT").
// Stored form: "scrypt$N$r$p$<salt b64url>$<hash b64url>", so parameters can grow:
// a record with other parameters still verifies, and needsRehash() tells the
// caller to store a new hash at the current cost after the next good login.

#include <QByteArray>
#include <QString>

namespace softphone::crypto {

struct ScryptCost
{
    quint64 n = 0;
    quint32 r = 0;
    quint32 p = 0;
    bool operator==(const ScryptCost &) const = default;
};

// N=2^17, r=8, p=1: 128 MiB and a few hundred milliseconds per hash (OWASP's
// scrypt minimum). Callers bound how many run at once (see AppServerRole).
inline constexpr ScryptCost kPasswordCost{quint64(1) << 17, 8, 1};

QString hashPassword(const QByteArray &password, const ScryptCost &cost = kPasswordCost);
bool verifyPassword(const QByteArray &password, const QString &stored);
// True if the record is not at `cost` (or not a record we can read).
bool needsRehash(const QString &stored, const ScryptCost &cost = kPasswordCost);
// A record at `cost` that no password matches (random salt and hash): checking it
// costs what checking a real one costs, so unknown users answer in the same time.
QString unmatchableHash(const ScryptCost &cost = kPasswordCost);

} // namespace softphone::crypto
