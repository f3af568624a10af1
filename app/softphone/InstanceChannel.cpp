#include "InstanceChannel.h"

#include "AppLogging.h"
#include "RuntimeDir.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

namespace softphone::app {

namespace {

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject error(const QString &code, const QString &message)
{
    return {{QStringLiteral("v"), InstanceChannel::kVersion},
            {QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("code"), code},
            {QStringLiteral("message"), message}};
}

} // namespace

InstanceChannel::InstanceChannel(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_path(socketPath)
{}

InstanceChannel::~InstanceChannel()
{
    if (m_server)
        m_server->close();
}

QString InstanceChannel::defaultSocketPath(QString *error)
{
    return ipc::runtimePath(QStringLiteral("instance"), error);
}

void InstanceChannel::claimOrForward(const QStringList &args)
{
    m_args = args;
    m_probe = new QLocalSocket(this);
    auto *timeout = new QTimer(m_probe);
    timeout->setSingleShot(true);
    m_reply.clear();
    connect(m_probe, &QLocalSocket::connected, this, [this, args, timeout] {
        m_probe->write(line({{QStringLiteral("v"), kVersion},
                             {QStringLiteral("type"), QStringLiteral("activate")},
                             {QStringLiteral("args"), QJsonArray::fromStringList(args)}}));
        timeout->start(5000);
    });
    connect(m_probe, &QLocalSocket::readyRead, this, [this] {
        m_reply.append(m_probe->readAll());
        if (!m_reply.contains('\n'))
            return;
        const QJsonObject reply =
            QJsonDocument::fromJson(m_reply.left(m_reply.indexOf('\n'))).object();
        m_probe->deleteLater();
        m_probe = nullptr;
        if (reply.value(QStringLiteral("type")).toString() == QLatin1String("ok"))
            emit forwarded();
        else
            emit failed(reply.value(QStringLiteral("message")).toString());
    });
    connect(m_probe, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError e) {
        if (!m_probe)
            return;
        const bool nobody =
            e == QLocalSocket::ServerNotFoundError || e == QLocalSocket::ConnectionRefusedError;
        m_probe->deleteLater();
        m_probe = nullptr;
        if (nobody)
            becomeFirstOrKnockAgain();
        else
            emit failed(QStringLiteral("the running softphone did not answer"));
    });
    connect(timeout, &QTimer::timeout, this, [this] {
        if (!m_probe)
            return;
        m_probe->deleteLater();
        m_probe = nullptr;
        emit failed(QStringLiteral("the running softphone did not answer in time"));
    });
    m_probe->connectToServer(m_path);
}

void InstanceChannel::becomeFirstOrKnockAgain()
{
    if (!m_lock) {
        m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // a dead holder's lock is stale (pid check), whatever its age
    }
    if (m_lock->tryLock(0)) {
        listen();
        return;
    }
    // Another softphone is starting and about to listen: forward to it then.
    if (++m_knocks > 100) {
        emit failed(QStringLiteral("another softphone is starting and does not answer"));
        return;
    }
    QTimer::singleShot(100, this, [this] { claimOrForward(m_args); });
}

void InstanceChannel::listen()
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // Nobody answered on the socket, so a file left there is from a crashed instance.
    QLocalServer::removeServer(m_path);
    if (!m_server->listen(m_path)) {
        emit failed(m_server->errorString());
        return;
    }
    connect(m_server, &QLocalServer::newConnection, this, &InstanceChannel::onNewConnection);
    qCInfo(lcApp) << "single-instance socket at" << m_path;
    emit becamePrimary();
}

void InstanceChannel::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void InstanceChannel::onReadyRead(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        const QByteArray text = socket->readLine(kMaxLine + 1);
        if (!text.endsWith('\n')) {
            socket->write(
                line(error(QStringLiteral("too_large"), QStringLiteral("line over 65536 bytes"))));
            socket->disconnectFromServer();
            return;
        }
        socket->write(line(handle(text.trimmed())));
    }
    if (socket->bytesAvailable() > kMaxLine) {
        socket->write(
            line(error(QStringLiteral("too_large"), QStringLiteral("line over 65536 bytes"))));
        socket->disconnectFromServer();
    }
}

QJsonObject InstanceChannel::handle(const QByteArray &text)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (!doc.isObject())
        return error(QStringLiteral("bad_json"), QStringLiteral("not a JSON object"));
    const QJsonObject message = doc.object();
    if (message.value(QStringLiteral("v")).toInt(-1) != kVersion)
        return error(QStringLiteral("unsupported_version"),
                     QStringLiteral("this softphone speaks version 1"));
    const QString type = message.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("activate")) {
        const QJsonValue args = message.value(QStringLiteral("args"));
        if (!args.isUndefined() && !args.isArray())
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'args' must be an array of strings"));
        QStringList list;
        for (const QJsonValue &v : args.toArray()) {
            if (!v.isString())
                return error(QStringLiteral("bad_request"),
                             QStringLiteral("'args' must be an array of strings"));
            list.append(v.toString());
        }
        emit activationRequested(list);
    } else if (type == QLatin1String("push")) {
        const QJsonValue payload = message.value(QStringLiteral("payload"));
        if (!payload.isString() || payload.toString().isEmpty())
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'payload' must be a non-empty string"));
        emit pushPayloadReceived(payload.toString());
        QJsonObject ok{{QStringLiteral("v"), kVersion},
                       {QStringLiteral("type"), QStringLiteral("ok")}};
        if (m_pushAnswerFields) {
            const QJsonObject fields = m_pushAnswerFields();
            for (auto it = fields.begin(); it != fields.end(); ++it)
                ok.insert(it.key(), it.value());
        }
        return ok;
    } else if (type == QLatin1String("push_status")) {
        static const QStringList states{QStringLiteral("registered"), QStringLiteral("registering"),
                                        QStringLiteral("failed"), QStringLiteral("off")};
        const QString state = message.value(QStringLiteral("state")).toString();
        const QJsonValue host = message.value(QStringLiteral("endpointHost"));
        const QJsonValue reason = message.value(QStringLiteral("reason"));
        if (!states.contains(state))
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'state' must be one of: %1").arg(states.join(u", ")));
        if ((!host.isUndefined() && !host.isString()) ||
            (!reason.isUndefined() && !reason.isString()))
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'endpointHost' and 'reason' must be strings"));
        if (state == QLatin1String("registered") && host.toString().isEmpty())
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'registered' needs a non-empty 'endpointHost'"));
        if ((state == QLatin1String("failed") || state == QLatin1String("off")) &&
            reason.toString().isEmpty())
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'%1' needs a non-empty 'reason'").arg(state));
        if (host.toString().size() > 255 || reason.toString().size() > 1000)
            return error(QStringLiteral("bad_request"),
                         QStringLiteral("'endpointHost' or 'reason' too long"));
        emit agentPushStatusReceived(state, host.toString(), reason.toString());
    } else {
        return error(QStringLiteral("unknown_type"), QStringLiteral("unknown type '%1'").arg(type));
    }
    return {{QStringLiteral("v"), kVersion}, {QStringLiteral("type"), QStringLiteral("ok")}};
}

} // namespace softphone::app
