#include "Vapid.h"

#include "Base64Url.h"

#include <QJsonObject>
#include <QUrl>

namespace softphone::crypto {

namespace {

constexpr qint64 kMaxLifetimeSecs = 24 * 3600;
// Clock skew we forgive between application server and push service.
constexpr int kLeewaySecs = 60;

// scheme://host[:port], lowercased, default port dropped: the RFC 6454 origin
// serialization, so "https://Push.example:443/" and "https://push.example" compare equal.
QString origin(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return {};
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment() ||
        (!url.path().isEmpty() && url.path() != QLatin1String("/")))
        return {};
    QString result = scheme + QLatin1String("://") + url.host(QUrl::FullyEncoded).toLower();
    const int defaultPort = scheme == QLatin1String("https") ? 443 : 80;
    if (url.port() != -1 && url.port() != defaultPort)
        result += QLatin1Char(':') + QString::number(url.port());
    return result;
}

} // namespace

QString makeVapidAuthorization(const QString &audience, const QString &subject, const EcKey &key,
                               const QDateTime &expires)
{
    QJsonObject claims{
        {QStringLiteral("aud"), audience},
        {QStringLiteral("exp"), expires.toSecsSinceEpoch()},
    };
    if (!subject.isEmpty())
        claims.insert(QStringLiteral("sub"), subject);
    const QString token = signJwt(claims, key);
    if (token.isEmpty())
        return {};
    return QStringLiteral("vapid t=%1, k=%2")
        .arg(token, QString::fromLatin1(toBase64Url(key.publicRaw())));
}

QString vapidErrorText(VapidError error)
{
    switch (error) {
    case VapidError::None:
        return QStringLiteral("no error");
    case VapidError::Missing:
        return QStringLiteral("no VAPID authorization");
    case VapidError::Malformed:
        return QStringLiteral("malformed VAPID authorization");
    case VapidError::BadToken:
        return QStringLiteral("VAPID token does not verify");
    case VapidError::WrongKey:
        return QStringLiteral("VAPID key differs from the subscription's key");
    case VapidError::Expired:
        return QStringLiteral("VAPID token expired");
    case VapidError::TooLong:
        return QStringLiteral("VAPID token expires more than 24 hours ahead");
    case VapidError::WrongAudience:
        return QStringLiteral("VAPID audience is not this push service");
    }
    return QStringLiteral("unknown error");
}

VapidCheck verifyVapidAuthorization(const QString &authorization, const QString &expectedAudience,
                                    const QByteArray &requiredKey, const QDateTime &now)
{
    VapidCheck check;
    auto fail = [&check](VapidError e) {
        check.error = e;
        return check;
    };
    const QString value = authorization.trimmed();
    if (value.isEmpty())
        return fail(VapidError::Missing);
    const qsizetype space = value.indexOf(QLatin1Char(' '));
    if (space <= 0 || value.left(space).compare(QLatin1String("vapid"), Qt::CaseInsensitive) != 0)
        return fail(VapidError::Malformed);

    // auth-params (RFC 7235): comma-separated name=value, whitespace allowed around commas.
    QString t, k;
    const QStringList params = value.mid(space + 1).split(QLatin1Char(','));
    for (const QString &raw : params) {
        const QString param = raw.trimmed();
        const qsizetype eq = param.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(VapidError::Malformed);
        const QString name = param.left(eq).trimmed().toLower();
        QString v = param.mid(eq + 1).trimmed();
        if (v.size() >= 2 && v.startsWith(QLatin1Char('"')) && v.endsWith(QLatin1Char('"')))
            v = v.mid(1, v.size() - 2);
        QString *slot = name == QLatin1String("t") ? &t : name == QLatin1String("k") ? &k : nullptr;
        if (slot) {
            if (!slot->isEmpty())
                return fail(VapidError::Malformed);
            *slot = v;
        }
    }
    if (t.isEmpty() || k.isEmpty())
        return fail(VapidError::Malformed);
    const auto keyRaw = fromBase64Url(k.toLatin1());
    if (!keyRaw || keyRaw->size() != 65)
        return fail(VapidError::Malformed);
    const auto key = EcKey::fromPublicRaw(*keyRaw);
    if (!key)
        return fail(VapidError::Malformed);
    check.publicKey = *keyRaw;

    JwtVerifyOptions options;
    options.now = now.isValid() ? now : QDateTime::currentDateTimeUtc();
    options.leewaySeconds = kLeewaySecs;
    options.requireSubject = false;
    // Any application server signs these (web-push, pywebpush ...), and they
    // do not normalise s; nothing keys on a VAPID token's bytes (the sender is
    // its key), so the high-S form is accepted here.
    options.lowSOnly = false;
    const JwtResult jwt = verifyJwt(t, *key, options);
    if (jwt.error == JwtError::Expired)
        return fail(VapidError::Expired);
    if (!jwt.ok())
        return fail(VapidError::BadToken);
    if (!requiredKey.isEmpty() && *keyRaw != requiredKey)
        return fail(VapidError::WrongKey);

    // verifyJwt forgives skew on exp; RFC 8292 wants it strictly in the future.
    const double exp = jwt.claims.value(QStringLiteral("exp")).toDouble();
    const double nowSecs = double(options.now.toSecsSinceEpoch());
    if (exp <= nowSecs)
        return fail(VapidError::Expired);
    if (exp > nowSecs + kMaxLifetimeSecs + kLeewaySecs)
        return fail(VapidError::TooLong);

    const QJsonValue aud = jwt.claims.value(QStringLiteral("aud"));
    const QString expected = origin(expectedAudience);
    if (!aud.isString() || expected.isEmpty() || origin(aud.toString()) != expected)
        return fail(VapidError::WrongAudience);

    const QJsonValue sub = jwt.claims.value(QStringLiteral("sub"));
    check.subject = sub.isString() ? sub.toString() : QString();
    return check;
}

} // namespace softphone::crypto
