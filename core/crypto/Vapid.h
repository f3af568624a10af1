#pragma once
// Voluntary Application Server Identification (RFC 8292): the application
// server's signed claim on a push, and the push service's check of it.

#include "EcKey.h"
#include "Jwt.h"

#include <QDateTime>
#include <QString>

namespace softphone::crypto {

// "vapid t=<JWT>, k=<base64url public key>" for a push resource's origin (aud).
QString makeVapidAuthorization(
    const QString &audience, const QString &subject, const EcKey &key,
    const QDateTime &expires = QDateTime::currentDateTimeUtc().addSecs(12 * 3600));

enum class VapidError {
    None,
    Missing,
    Malformed,
    BadToken,
    WrongKey,
    Expired,
    TooLong,
    WrongAudience
};
QString vapidErrorText(VapidError error);

struct VapidCheck
{
    VapidError error = VapidError::None;
    QByteArray publicKey; // the k= value, 65 bytes raw
    QString subject;
    bool ok() const { return error == VapidError::None; }
};

// Checks an Authorization header value: scheme, ES256 signature with k, exp in the
// future and at most 24 h ahead, aud equal to expectedAudience; when
// requiredKey is not empty the k must equal it (WrongKey otherwise, a 403).
VapidCheck verifyVapidAuthorization(const QString &authorization, const QString &expectedAudience,
                                    const QByteArray &requiredKey = {},
                                    const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace softphone::crypto
