#include "TrayControl.h"

#include "RuntimeDir.h"
#include "TrayLogging.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

namespace softphone::tray {

namespace {

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray error(const QString &code, const QString &message)
{
    return line({{QStringLiteral("v"), TrayControl::kVersion},
                 {QStringLiteral("type"), QStringLiteral("error")},
                 {QStringLiteral("code"), code},
                 {QStringLiteral("message"), message}});
}

} // namespace

TrayControl::TrayControl(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_path(socketPath)
{}

TrayControl::~TrayControl()
{
    if (m_server)
        m_server->close();
}

QString TrayControl::defaultSocketPath(QString *error)
{
    // The same private folder as the softphone's instance socket and our lock.
    return ipc::runtimePath(QStringLiteral("tray.control"), error);
}

bool TrayControl::listen(QString *errorText)
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_path);
    if (!m_server->listen(m_path)) {
        *errorText = m_server->errorString();
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this,
                    [this, socket] { onReadyRead(socket); });
        }
    });
    return true;
}

void TrayControl::onReadyRead(QLocalSocket *socket)
{
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > kMaxLine) {
            socket->write(error(QStringLiteral("too_large"), QStringLiteral("line too long")));
            socket->disconnectFromServer();
        }
        return;
    }
    const QByteArray text = socket->readLine(kMaxLine + 1);
    // One command per connection: the answer may come much later (sign-out).
    disconnect(socket, &QLocalSocket::readyRead, this, nullptr);
    if (!text.endsWith('\n')) {
        socket->write(error(QStringLiteral("too_large"), QStringLiteral("line too long")));
        socket->disconnectFromServer();
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(text.trimmed());
    const QJsonObject message = doc.object();
    if (!doc.isObject()) {
        socket->write(error(QStringLiteral("bad_json"), QStringLiteral("not a JSON object")));
    } else if (message.value(QStringLiteral("v")).toInt(-1) != kVersion) {
        socket->write(error(QStringLiteral("unsupported_version"),
                            QStringLiteral("this agent speaks version 1")));
    } else if (message.value(QStringLiteral("type")).toString() == QLatin1String("sign_out")) {
        qCInfo(lcTray) << "sign-out requested on the control socket";
        QPointer<QLocalSocket> requester(socket);
        emit signOutRequested([requester] {
            if (requester)
                requester->write(line({{QStringLiteral("v"), kVersion},
                                       {QStringLiteral("type"), QStringLiteral("ok")}}));
        });
        return;
    } else {
        socket->write(error(QStringLiteral("unknown_type"),
                            QStringLiteral("unknown type '%1'")
                                .arg(message.value(QStringLiteral("type")).toString())));
    }
    socket->disconnectFromServer();
}

bool TrayControl::send(const QString &socketPath, const QString &type, QString *errorText,
                       int timeoutMs)
{
    QLocalSocket socket;
    QEventLoop loop;
    QByteArray reply;
    bool done = false; // an answer line came
    bool over = false; // answered, failed or timed out
    auto finish = [&] {
        over = true;
        loop.quit();
    };
    QTimer::singleShot(timeoutMs, &loop, [&] {
        if (over)
            return;
        *errorText = QStringLiteral("the running agent did not answer in time");
        finish();
    });
    QObject::connect(&socket, &QLocalSocket::connected, &loop, [&] {
        socket.write(line({{QStringLiteral("v"), kVersion}, {QStringLiteral("type"), type}}));
    });
    QObject::connect(&socket, &QLocalSocket::readyRead, &loop, [&] {
        reply += socket.readAll();
        if (reply.contains('\n') || reply.size() > kMaxLine) {
            done = true;
            finish();
        }
    });
    QObject::connect(&socket, &QLocalSocket::errorOccurred, &loop,
                     [&](QLocalSocket::LocalSocketError e) {
                         if (over || (e == QLocalSocket::PeerClosedError && !reply.isEmpty()))
                             return;
                         *errorText = e == QLocalSocket::ServerNotFoundError ||
                                              e == QLocalSocket::ConnectionRefusedError
                                          ? QStringLiteral("no softphone-tray is running")
                                          : socket.errorString();
                         finish();
                     });
    socket.connectToServer(socketPath);
    // A missing socket fails inside connectToServer(), before any loop runs.
    if (!over)
        loop.exec();
    if (!done)
        return false;
    const QJsonObject answer = QJsonDocument::fromJson(reply.left(reply.indexOf('\n'))).object();
    if (answer.value(QStringLiteral("type")).toString() == QLatin1String("ok"))
        return true;
    *errorText = answer.value(QStringLiteral("message")).toString();
    if (errorText->isEmpty())
        *errorText = QStringLiteral("unreadable answer from the running agent");
    return false;
}

} // namespace softphone::tray
