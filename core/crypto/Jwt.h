#pragma once
// JSON Web Tokens (RFC 7519) signed with ES256 only. The algorithm is pinned:
// "none", HS*, RS* and anything else are rejected before any key is touched.

#include "EcKey.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace softphone::crypto {

enum class JwtError {
    None,
    Malformed,     // not three base64url parts of JSON
    BadAlgorithm,  // header alg is not ES256 (includes "none")
    BadSignature,  // signature does not verify with the key
    Expired,       // exp <= now - leeway
    NotYetValid,   // nbf or iat in the future beyond leeway
    WrongAudience, // aud does not match
    WrongIssuer,   // iss does not match
    MissingClaim,  // a required claim (exp, sub) is missing
};

QString jwtErrorText(JwtError error);

struct JwtVerifyOptions
{
    QString audience; // required aud; empty = not checked
    QString issuer;   // required iss; empty = not checked
    QDateTime now = QDateTime::currentDateTimeUtc();
    int leewaySeconds = 30;
    // Added: VAPID (RFC 8292) makes sub optional; our own tokens keep requiring it.
    bool requireSubject = true;
    // ES256 signatures in the low-S form only (EcKey::SForm): our own tokens.
    // False for tokens of signers we do not control (VAPID), which may be high-S.
    bool lowSOnly = true;
};

struct JwtResult
{
    JwtError error = JwtError::None;
    QJsonObject header;
    QJsonObject claims;
    bool ok() const { return error == JwtError::None; }
};

// Encodes header {"typ":"JWT","alg":"ES256"} (plus extraHeader fields) and claims.
QString signJwt(const QJsonObject &claims, const EcKey &key, const QJsonObject &extraHeader = {});
JwtResult verifyJwt(const QString &token, const EcKey &publicKey,
                    const JwtVerifyOptions &options = {});
// Parses without verifying (for reading a header's kid, or tests); error is Malformed or None.
JwtResult decodeJwtUnverified(const QString &token);

} // namespace softphone::crypto
