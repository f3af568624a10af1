#include "Jwt.h"

#include "Base64Url.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace softphone::crypto {

namespace {

constexpr char kAlgorithm[] = "ES256";

// Compact serialization never pads, so '=' is malformed here even though fromBase64Url allows it.
std::optional<QByteArray> decodePart(const QByteArray &part)
{
    if (part.contains('='))
        return std::nullopt;
    return fromBase64Url(part);
}

std::optional<QJsonObject> decodeJsonPart(const QByteArray &part)
{
    const auto raw = decodePart(part);
    if (!raw || raw->isEmpty())
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*raw, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

struct Parts
{
    QByteArray signingInput; // header "." payload, exactly as received
    QByteArray signature;    // encoded
    JwtResult decoded;
};

Parts split(const QString &token)
{
    Parts parts;
    const QByteArray text = token.toLatin1();
    // Non-Latin-1 characters become '?', which base64url rejects below anyway.
    const QList<QByteArray> pieces = text.split('.');
    if (pieces.size() != 3 || pieces[0].isEmpty() || pieces[1].isEmpty()) {
        parts.decoded.error = JwtError::Malformed;
        return parts;
    }
    const auto header = decodeJsonPart(pieces[0]);
    const auto claims = decodeJsonPart(pieces[1]);
    if (!header || !claims) {
        parts.decoded.error = JwtError::Malformed;
        return parts;
    }
    parts.signingInput = pieces[0] + '.' + pieces[1];
    parts.signature = pieces[2];
    parts.decoded.header = *header;
    parts.decoded.claims = *claims;
    return parts;
}

enum class NumericDate { Missing, Invalid, Present };

NumericDate readNumericDate(const QJsonObject &claims, const QString &name, double *out)
{
    const QJsonValue v = claims.value(name);
    if (v.isUndefined())
        return NumericDate::Missing;
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return NumericDate::Invalid;
    *out = v.toDouble();
    return NumericDate::Present;
}

bool audienceMatches(const QJsonValue &aud, const QString &expected)
{
    if (aud.isString())
        return aud.toString() == expected;
    if (aud.isArray()) {
        const QJsonArray list = aud.toArray();
        for (const QJsonValue &entry : list) {
            if (entry.isString() && entry.toString() == expected)
                return true;
        }
    }
    return false;
}

} // namespace

QString jwtErrorText(JwtError error)
{
    switch (error) {
    case JwtError::None:
        return QStringLiteral("no error");
    case JwtError::Malformed:
        return QStringLiteral("malformed token");
    case JwtError::BadAlgorithm:
        return QStringLiteral("algorithm is not ES256");
    case JwtError::BadSignature:
        return QStringLiteral("signature does not verify");
    case JwtError::Expired:
        return QStringLiteral("token expired");
    case JwtError::NotYetValid:
        return QStringLiteral("token not yet valid");
    case JwtError::WrongAudience:
        return QStringLiteral("wrong audience");
    case JwtError::WrongIssuer:
        return QStringLiteral("wrong issuer");
    case JwtError::MissingClaim:
        return QStringLiteral("a required claim is missing");
    }
    return QStringLiteral("unknown error");
}

QString signJwt(const QJsonObject &claims, const EcKey &key, const QJsonObject &extraHeader)
{
    QJsonObject header = extraHeader;
    // The caller may add kid and the like, never change what the signature is.
    header.insert(QStringLiteral("typ"), QStringLiteral("JWT"));
    header.insert(QStringLiteral("alg"), QLatin1String(kAlgorithm));
    const QByteArray signingInput =
        toBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
        toBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signature = key.signEs256(signingInput);
    if (signature.isEmpty())
        return {};
    return QString::fromLatin1(signingInput + '.' + toBase64Url(signature));
}

JwtResult decodeJwtUnverified(const QString &token)
{
    return split(token).decoded;
}

JwtResult verifyJwt(const QString &token, const EcKey &publicKey, const JwtVerifyOptions &options)
{
    Parts parts = split(token);
    JwtResult &result = parts.decoded;
    auto fail = [&result](JwtError e) {
        result.error = e;
        return result;
    };
    if (!result.ok())
        return result;

    // Pin the algorithm before touching the key: this is what defeats "none" and
    // HS256-with-the-public-key-as-secret.
    if (result.header.value(QStringLiteral("alg")) != QJsonValue(QLatin1String(kAlgorithm)))
        return fail(JwtError::BadAlgorithm);
    // We implement no header extensions, so any critical one must be refused (RFC 7515 §4.1.11).
    if (result.header.contains(QStringLiteral("crit")))
        return fail(JwtError::Malformed);

    const auto signature = decodePart(parts.signature);
    if (!signature)
        return fail(JwtError::Malformed);
    if (signature->size() != 64 ||
        !publicKey.verifyEs256(parts.signingInput, *signature,
                               options.lowSOnly ? EcKey::SForm::LowOnly : EcKey::SForm::Either))
        return fail(JwtError::BadSignature);

    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const double nowSecs = double(now.toSecsSinceEpoch());
    const double leeway = std::max(0, options.leewaySeconds);
    const QJsonObject &claims = result.claims;

    double exp = 0, nbf = 0, iat = 0;
    switch (readNumericDate(claims, QStringLiteral("exp"), &exp)) {
    case NumericDate::Missing:
        return fail(JwtError::MissingClaim);
    case NumericDate::Invalid:
        return fail(JwtError::Malformed);
    case NumericDate::Present:
        if (exp <= nowSecs - leeway)
            return fail(JwtError::Expired);
    }
    for (const auto &[name, value] :
         {std::pair{QStringLiteral("nbf"), &nbf}, std::pair{QStringLiteral("iat"), &iat}}) {
        switch (readNumericDate(claims, name, value)) {
        case NumericDate::Missing:
            break;
        case NumericDate::Invalid:
            return fail(JwtError::Malformed);
        case NumericDate::Present:
            if (*value > nowSecs + leeway)
                return fail(JwtError::NotYetValid);
        }
    }
    if (options.requireSubject) {
        const QJsonValue sub = claims.value(QStringLiteral("sub"));
        if (sub.isUndefined())
            return fail(JwtError::MissingClaim);
        if (!sub.isString())
            return fail(JwtError::Malformed);
    }
    if (!options.audience.isEmpty() &&
        !audienceMatches(claims.value(QStringLiteral("aud")), options.audience))
        return fail(JwtError::WrongAudience);
    if (!options.issuer.isEmpty() &&
        claims.value(QStringLiteral("iss")) != QJsonValue(options.issuer))
        return fail(JwtError::WrongIssuer);
    return result;
}

} // namespace softphone::crypto
