#include "HttpJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace softphone::server {

HttpResponse jsonError(HttpResponse::Status status, const QString &code, const QString &message)
{
    return HttpResponse::json(QJsonObject{{"error", code}, {"message", message}}, status);
}

JsonBody readJsonBody(const HttpRequest &request, qsizetype maxSize)
{
    JsonBody result;
    const QByteArray body = request.body();
    if (body.size() > maxSize) {
        result.errorStatus = HttpResponse::Status::PayloadTooLarge;
        result.errorCode = QStringLiteral("too_large");
        result.errorMessage = QStringLiteral("the body is over %1 bytes").arg(maxSize);
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.errorStatus = HttpResponse::Status::BadRequest;
        result.errorCode = QStringLiteral("bad_request");
        result.errorMessage = QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset);
        return result;
    }
    if (!doc.isObject()) {
        result.errorStatus = HttpResponse::Status::BadRequest;
        result.errorCode = QStringLiteral("bad_request");
        result.errorMessage = QStringLiteral("the body must be a JSON object");
        return result;
    }
    result.object = doc.object();
    return result;
}

QString requireString(const QJsonObject &object, const QString &key, int maxLength, QString *error)
{
    const QJsonValue v = object.value(key);
    if (!v.isString() || v.toString().isEmpty() || v.toString().size() > maxLength) {
        *error = QStringLiteral("field '%1' must be a string of 1-%2 characters")
                     .arg(key)
                     .arg(maxLength);
        return {};
    }
    return v.toString();
}

} // namespace softphone::server
