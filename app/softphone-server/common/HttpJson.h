#pragma once
// JSON in and out of the HTTP API: bodies are size-checked and parsed in one
// place so every route answers bad input the same way
// ({"error":"code","message":"..."}).

#include "HttpRequest.h"
#include "HttpResponse.h"

#include <QJsonObject>
#include <QString>

namespace softphone::server {

constexpr qsizetype kMaxJsonBody = 64 * 1024;

// {"error":code,"message":message} with this status.
HttpResponse jsonError(HttpResponse::Status status, const QString &code, const QString &message);

struct JsonBody
{
    QJsonObject object;
    // Set when the body is unusable: the reply to send instead (413 or 400).
    HttpResponse::Status errorStatus = HttpResponse::Status::Ok;
    QString errorCode;
    QString errorMessage;
    bool ok() const { return errorCode.isEmpty(); }
    HttpResponse errorResponse() const { return jsonError(errorStatus, errorCode, errorMessage); }
};

// A JSON object body of at most maxSize bytes.
JsonBody readJsonBody(const HttpRequest &request, qsizetype maxSize = kMaxJsonBody);

// A required string member of 1..maxLength characters; empty and *error set otherwise.
QString requireString(const QJsonObject &object, const QString &key, int maxLength, QString *error);

} // namespace softphone::server
