#include "PushStatusReporter.h"

#include "InstanceChannel.h"
#include "TrayLogging.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QLocalSocket>
#include <sys/stat.h>

namespace softphone::tray {

namespace {

// The socket file's identity: a new softphone binds a new file.
QByteArray socketIdentity(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISSOCK(st.st_mode))
        return {};
    return QByteArray::number(qulonglong(st.st_ino)) + ':' +
           QByteArray::number(qlonglong(st.st_ctim.tv_sec)) + '.' +
           QByteArray::number(qlonglong(st.st_ctim.tv_nsec));
}

} // namespace

PushStatusReporter::PushStatusReporter(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_path(socketPath)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(200);
    connect(&m_retry, &QTimer::timeout, this, &PushStatusReporter::send);
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!m_watcher.addPath(folder))
        qCWarning(lcTray) << "cannot watch" << folder
                          << "- a softphone started later learns the push status only on the "
                             "next change";
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &PushStatusReporter::onFolderChanged);
    m_socketSeen = socketIdentity(m_path);
}

QJsonObject PushStatusReporter::line(const QString &state, const QString &endpointHost,
                                     const QString &reason)
{
    QJsonObject status{{QStringLiteral("v"), app::InstanceChannel::kVersion},
                       {QStringLiteral("type"), QStringLiteral("push_status")},
                       {QStringLiteral("state"), state}};
    if (!endpointHost.isEmpty())
        status.insert(QStringLiteral("endpointHost"), endpointHost);
    if (!reason.isEmpty())
        status.insert(QStringLiteral("reason"), reason.left(1000));
    return status;
}

void PushStatusReporter::report(const QString &state, const QString &endpointHost,
                                const QString &reason)
{
    const QJsonObject status = line(state, endpointHost, reason);
    if (status == m_status)
        return;
    m_status = status;
    m_retries = 0; // a softphone that is not there now learns it when it starts
    send();
}

void PushStatusReporter::onFolderChanged()
{
    const QByteArray identity = socketIdentity(m_path);
    if (identity.isEmpty() || identity == m_socketSeen) {
        m_socketSeen = identity;
        return;
    }
    m_socketSeen = identity;
    if (m_status.isEmpty())
        return;
    qCDebug(lcTray) << "the softphone's socket appeared: telling it the push status";
    // bind() comes just before listen(): a refusal in between is worth a few retries.
    m_retries = 10;
    send();
}

void PushStatusReporter::send()
{
    if (m_status.isEmpty())
        return;
    if (m_socket) {
        m_again = true;
        return;
    }
    m_again = false;
    m_answer.clear();
    auto *socket = new QLocalSocket(this);
    m_socket = socket;
    const QByteArray text = QJsonDocument(m_status).toJson(QJsonDocument::Compact) + '\n';
    auto done = [this, socket] {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        if (m_socket == socket)
            m_socket = nullptr;
        if (m_again)
            send();
    };
    connect(socket, &QLocalSocket::connected, this, [socket, text] { socket->write(text); });
    connect(socket, &QLocalSocket::readyRead, this, [this, socket, done] {
        m_answer += socket->readAll();
        if (!m_answer.contains('\n') && m_answer.size() <= app::InstanceChannel::kMaxLine)
            return;
        const QJsonObject answer =
            QJsonDocument::fromJson(m_answer.left(m_answer.indexOf('\n'))).object();
        if (answer.value(QStringLiteral("type")).toString() != QLatin1String("ok"))
            qCInfo(lcTray) << "the softphone did not take the push status:"
                           << answer.value(QStringLiteral("message")).toString();
        m_retries = 0;
        done();
    });
    connect(socket, &QLocalSocket::errorOccurred, this,
            [this, socket, done](QLocalSocket::LocalSocketError error) {
                const bool absent = error == QLocalSocket::ServerNotFoundError ||
                                    error == QLocalSocket::ConnectionRefusedError;
                if (error == QLocalSocket::PeerClosedError && m_answer.contains('\n'))
                    return;
                if (!absent)
                    qCInfo(lcTray)
                        << "push status not told to the softphone:" << socket->errorString();
                const bool retry = absent && m_retries > 0;
                done();
                if (retry && !m_socket) {
                    --m_retries;
                    m_retry.start();
                }
            });
    socket->connectToServer(m_path);
}

void PushStatusReporter::reportBeforeExit(const QString &reason, int timeoutMs)
{
    m_status = line(QStringLiteral("off"), {}, reason);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    QLocalSocket socket;
    socket.connectToServer(m_path);
    if (!socket.waitForConnected(timeoutMs))
        return;
    socket.write(QJsonDocument(m_status).toJson(QJsonDocument::Compact) + '\n');
    socket.waitForBytesWritten(timeoutMs);
    socket.waitForReadyRead(timeoutMs); // the softphone took it
}

} // namespace softphone::tray
