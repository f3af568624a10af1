#include "LineProtocol.h"

#include "RuntimeDir.h"

#include <QJsonDocument>

namespace softphone::ipc {

QString socketPath(const LineProtocol &protocol, QString *error)
{
    QString why;
    const QString path = runtimePath(QString::fromLatin1(protocol.socketName), &why);
    if (path.isEmpty() && error)
        *error = why;
    return path;
}

QJsonObject lineMessage(const LineProtocol &protocol, const QString &type,
                        const QJsonObject &fields)
{
    QJsonObject message = fields;
    message.insert(QStringLiteral("v"), protocol.version);
    message.insert(QStringLiteral("type"), type);
    return message;
}

QJsonObject lineError(const LineProtocol &protocol, const QString &code, const QString &message)
{
    return lineMessage(protocol, QStringLiteral("error"),
                       {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
}

QByteArray toLine(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace softphone::ipc
