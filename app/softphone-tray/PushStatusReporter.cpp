#include "PushStatusReporter.h"

#include "TrayLogging.h"
#include "ipc/LineRequest.h"

#include <QFileInfo>
#include <sys/stat.h>

namespace softphone::tray {

namespace {

// A local softphone answers at once; a busy one is told again on the next change.
constexpr int kAnswerTimeoutMs = 5000;

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
    QJsonObject status = ipc::lineMessage(ipc::kInstanceProtocol, QStringLiteral("push_status"),
                                          {{QStringLiteral("state"), state}});
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
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_again = false;
    using Result = ipc::LineRequest::Result;
    m_inFlight = ipc::LineRequest::send(
        m_path, ipc::kInstanceProtocol, m_status, kAnswerTimeoutMs, this,
        [this](const Result &result) {
            m_inFlight = nullptr;
            const bool absent = result.outcome == ipc::LineRequest::Outcome::NoServer;
            if (result.outcome == ipc::LineRequest::Outcome::Answered && !result.ok())
                qCInfo(lcTray) << "the softphone did not take the push status:" << result.reason();
            else if (!result.ok() && !absent)
                qCInfo(lcTray) << "push status not told to the softphone:" << result.reason();
            if (!absent)
                m_retries = 0;
            if (m_again) {
                send();
            } else if (absent && m_retries > 0) {
                --m_retries;
                m_retry.start();
            }
        });
}

void PushStatusReporter::reportBeforeExit(const QString &reason, int timeoutMs)
{
    m_status = line(QStringLiteral("off"), {}, reason);
    if (m_inFlight)
        m_inFlight->cancel();
    // Blocking on purpose: the event loop ends with this process.
    ipc::LineRequest::exchange(m_path, ipc::kInstanceProtocol, m_status, timeoutMs);
}

} // namespace softphone::tray
