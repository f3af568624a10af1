#include "PushHandoff.h"

#include "TrayLogging.h"
#include "crypto/EcKey.h"
#include "ipc/LineRequest.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <utility>

namespace softphone::tray {

namespace {
// A softphone started from cold (keychain, sign-in, window) may take a while.
constexpr int kTakeTimeoutMs = 30000;
constexpr int kRetryMs = 200;
} // namespace

PushHandoff::PushHandoff(const QString &softphoneBinary, const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_binary(softphoneBinary)
    , m_socketPath(socketPath)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &PushHandoff::tryConnect);
    // While a started softphone comes up, connect the moment its socket appears
    // (inotify) rather than on the next retry: the retry alone made the wake
    // path ~100 ms slower (docs/benchmarks.md "Wake path"). The timer stays as
    // the fallback where the folder cannot be watched.
    if (m_folder.addPath(QFileInfo(m_socketPath).absolutePath()))
        connect(&m_folder, &QFileSystemWatcher::directoryChanged, this, [this] {
            if (m_retry.isActive()) {
                m_retry.stop();
                tryConnect();
            }
        });
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(kTakeTimeoutMs);
    connect(&m_deadline, &QTimer::timeout, this,
            [this] { finishCurrent(false, tr("the softphone did not take the push in time")); });
}

void PushHandoff::setPayloadKey(const QByteArray &pem)
{
    if (pem.isEmpty())
        return;
    m_payloadKeyPem = pem;
    // The pushes that came before the key: verified (or refused) now, in order.
    const QList<push::PushMessage> held = std::exchange(m_held, {});
    if (!held.isEmpty())
        qCInfo(lcTray) << "the service's payload key is known:" << held.size()
                       << "held push(es) verified now";
    for (const push::PushMessage &message : held)
        handOver(message);
}

QString PushHandoff::payloadOf(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    return json.value(QStringLiteral("softphone")).toString();
}

void PushHandoff::handOver(const push::PushMessage &message)
{
    Pending pending;
    pending.message = message;
    pending.payload = payloadOf(message.payload());
    if (pending.payload.isEmpty()) {
        qCWarning(lcTray) << "push" << message.version() << "is not a softphone push; refused";
        message.reject();
        return;
    }
    pending.key = pending.payload;
    // Never handed over unverified: without the service's payload key (GET /v1/keys
    // or the calling service's welcome) a push waits, unacknowledged, bounded.
    if (m_payloadKeyPem.isEmpty()) {
        if (m_held.size() >= kMaxHeld) {
            qCWarning(lcTray) << "push" << message.version()
                              << "dropped: no payload key to verify it yet and" << kMaxHeld
                              << "pushes already wait for one";
            message.reject();
            return;
        }
        qCInfo(lcTray) << "push" << message.version()
                       << "held: not handed over before the service's payload key verifies it";
        m_held.append(message);
        return;
    }
    {
        const auto key = crypto::EcKey::fromPem(m_payloadKeyPem);
        const auto result =
            key ? client::NotificationResult::fromPayload(pending.payload, *key, m_user)
                : client::NotificationResult::invalid(QStringLiteral("no payload key"));
        if (!result.isValid()) {
            qCWarning(lcTray) << "push" << message.version()
                              << "does not verify; refused:" << result.error();
            message.reject();
            return;
        }
        // The same call (or message) pushed again under another payload is the same event.
        pending.key = client::NotificationResult::typeName(result.type()) + QLatin1Char(':') +
                      (result.isMessage() ? result.messageId() : result.callId());
        // Stale news does not wake the softphone; a running one still records it.
        pending.mayStart = !(result.isCancel() || result.isTimedOut() || result.isCanceled());
        if (!m_recent.contains(pending.key)) {
            if (pending.mayStart) {
                emit notificationSeen(result, false);
            } else {
                pending.result = result;
                pending.reportWhenDone = true;
            }
        }
    }
    if (m_recent.contains(pending.key)) {
        qCInfo(lcTray) << "push" << message.version() << "was handed over before; dropped";
        message.accept();
        return;
    }
    for (const Pending &queued : std::as_const(m_queue)) {
        if (queued.key == pending.key) {
            message.accept();
            return;
        }
    }
    m_queue.enqueue(pending);
    if (!m_busy)
        next();
}

void PushHandoff::next()
{
    if (m_queue.isEmpty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    m_started = false;
    m_deadline.start();
    tryConnect();
}

void PushHandoff::tryConnect()
{
    if (m_request)
        m_request->cancel();
    const QJsonObject push =
        ipc::lineMessage(ipc::kInstanceProtocol, QStringLiteral("push"),
                         {{QStringLiteral("payload"), m_queue.head().payload}});
    m_request = ipc::LineRequest::send(
        m_socketPath, ipc::kInstanceProtocol, push, kTakeTimeoutMs, this,
        [this](const ipc::LineRequest::Result &result) {
            m_request = nullptr;
            if (!m_busy)
                return;
            if (result.outcome == ipc::LineRequest::Outcome::Answered) {
                onAnswer(result.answer);
                return;
            }
            if (!m_started) {
                if (!m_queue.head().mayStart) {
                    // Nobody to tell: the notification was all there was to do.
                    finishCurrent(true);
                    return;
                }
                m_started = true;
                startSoftphone({QStringLiteral("--minimized")});
            }
            m_retry.start(); // until the new softphone listens, or the deadline
        });
}

void PushHandoff::onAnswer(const QJsonObject &answer)
{
    m_handledCalls.clear();
    for (const QJsonValue &id : answer.value(QStringLiteral("handledCalls")).toArray())
        m_handledCalls.append(id.toString());
    if (answer.value(QStringLiteral("type")).toString() == QLatin1String("ok"))
        finishCurrent(true);
    else
        finishCurrent(false, tr("the softphone refused the push: %1")
                                 .arg(answer.value(QStringLiteral("message")).toString()));
}

void PushHandoff::finishCurrent(bool taken, const QString &reason)
{
    m_retry.stop();
    m_deadline.stop();
    if (m_request)
        m_request->cancel();
    if (m_queue.isEmpty())
        return;
    const Pending done = m_queue.dequeue();
    if (done.reportWhenDone)
        emit notificationSeen(done.result, taken && m_handledCalls.contains(done.result.callId()));
    m_handledCalls.clear();
    if (taken) {
        m_recent.remember(done.key);
        done.message.accept();
        emit handedOver(done.payload);
    } else {
        // Acked as refused: the service would only bring it again to the same end.
        qCWarning(lcTray) << "push" << done.message.version() << "not handed over:" << reason;
        done.message.reject();
        emit handOverFailed(reason);
    }
    next();
}

void PushHandoff::startSoftphone(const QStringList &args)
{
    qint64 pid = 0;
    // Detached: the softphone lives on when the agent quits, and vice versa.
    if (!QProcess::startDetached(m_binary, args, QString(), &pid))
        qCWarning(lcTray) << "cannot start the softphone" << m_binary;
    else
        qCInfo(lcTray) << "started the softphone" << m_binary << "pid" << pid;
}

void PushHandoff::openSoftphone(const QStringList &args)
{
    // A second launch forwards to a running softphone itself (InstanceChannel "activate").
    startSoftphone(args);
}

} // namespace softphone::tray
