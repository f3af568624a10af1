#include "HttpResponse.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace softphone::server {

HttpResponse HttpResponse::json(const QJsonObject &body, Status status)
{
    return HttpResponse(QByteArrayLiteral("application/json"),
                        QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    Q_ASSERT(!name.contains('\r') && !name.contains('\n') && !value.contains('\r') &&
             !value.contains('\n'));
    for (auto &header : m_headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    m_headers.append({name, value});
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &header : m_headers)
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    return {};
}

} // namespace softphone::server
