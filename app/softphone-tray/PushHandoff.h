#pragma once
// The tray agent's push-to-softphone hand-off: hands each push to the
// softphone as an instance-socket "push" request (ipc::LineRequest; messages in
// app/softphone/InstanceChannel.h) when it runs, else it starts the softphone (--minimized) and
// hands it over as soon as the new process listens. The push is acked only after the softphone
// answered "ok" for it, so a push the softphone never took comes again. One push at a time, in
// arrival order; a payload (or the same call/message event) seen before is acked and dropped, never
// handed over twice.
//
// Pushes are verified here (NotificationResult with the service's payload key)
// before anything is handed over: a push that comes before the key is known waits,
// unacknowledged (at most kMaxHeld; more are refused with a log), and is
// verified when setPayloadKey() brings the key. A cancel or an expired call is
// a missed call for the notifications and does not start the softphone. Such stale news is
// reported (notificationSeen) only once the running softphone took it, or
// none runs: its "ok" lists the calls answered or declined there
// ("handledCalls"), and the service cancels the push of that device too.

#include "client/NotificationResult.h"
#include "common/RecentIds.h"
#include "push/PushMessage.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QStringList>
#include <QTimer>

namespace softphone::ipc {
class LineRequest;
}

namespace softphone::tray {

class PushHandoff : public QObject
{
    Q_OBJECT

public:
    static constexpr int kRecentLimit = 200;
    static constexpr int kMaxHeld = 32; // pushes waiting for the payload key

    PushHandoff(const QString &softphoneBinary, const QString &socketPath,
                QObject *parent = nullptr);

    void setPayloadKey(const QByteArray &pem);
    void setUser(const QString &user) { m_user = user; }
    void handOver(const push::PushMessage &message);
    // Starts the softphone (or shows the running one, which takes the arguments,
    // e.g. "softphone:bob" to call back): "Open softphone".
    void openSoftphone(const QStringList &args = {});

    // The Web Push body is {"softphone":"<payload>"}; empty when it is not.
    static QString payloadOf(const QByteArray &body);

signals:
    // Verified (when the key is known) and about to be handed over or dropped as stale.
    // handledHere: a cancel for a call the softphone answered or declined
    // (no missed call to show).
    void notificationSeen(const softphone::client::NotificationResult &result, bool handledHere);
    void handedOver(const QString &payload);
    void handOverFailed(const QString &reason);

private:
    struct Pending
    {
        push::PushMessage message;
        QString payload;
        QString key; // dedup key
        bool mayStart = true;
        int attempts = 0;
        client::NotificationResult result; // stale news: reported when done
        bool reportWhenDone = false;
    };
    void next();
    void tryConnect();
    void onAnswer(const QJsonObject &answer);
    void finishCurrent(bool taken, const QString &reason = {});
    void startSoftphone(const QStringList &args);

    QString m_binary;
    QString m_socketPath;
    QByteArray m_payloadKeyPem;
    QString m_user;
    QQueue<Pending> m_queue;
    QList<push::PushMessage> m_held; // before the payload key: not yet verified
    bool m_busy = false;
    bool m_started = false;               // we started a softphone for the current push
    QPointer<ipc::LineRequest> m_request; // the current push, in flight
    QTimer m_retry;                       // next connection attempt while the softphone starts
    QFileSystemWatcher m_folder;      // the socket's folder: the started softphone's socket appears
    QTimer m_deadline;                // give up on the current push
    RecentIds m_recent{kRecentLimit}; // dedup keys of pushes handed over
    QStringList m_handledCalls;       // from the softphone's answer to the current push
};

} // namespace softphone::tray
