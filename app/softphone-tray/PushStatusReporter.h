#pragma once
// Tells the softphone what the agent knows about this device's push
// registration: one instance-socket "push_status" request (ipc::LineRequest;
// the messages are in app/softphone/InstanceChannel.h)
// on every change, and again whenever the softphone's instance socket appears
// (a softphone started after the agent; the socket folder is watched with
// inotify, so an idle agent does not poll). A softphone that is not running
// simply misses the line and gets the current one when it starts.

#include <QFileSystemWatcher>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace softphone::ipc {
class LineRequest;
}

namespace softphone::tray {

class PushStatusReporter : public QObject
{
    Q_OBJECT

public:
    explicit PushStatusReporter(const QString &socketPath, QObject *parent = nullptr);

    // state: registered (endpointHost set), registering, failed or off (reason set).
    void report(const QString &state, const QString &endpointHost = {}, const QString &reason = {});
    // The same, blocking for at most timeoutMs (the agent is about to exit).
    void reportBeforeExit(const QString &reason, int timeoutMs = 500);

    QJsonObject current() const { return m_status; }

private:
    void send();
    void onFolderChanged();
    static QJsonObject line(const QString &state, const QString &endpointHost,
                            const QString &reason);

    QString m_path;
    QJsonObject m_status;
    QFileSystemWatcher m_watcher;
    QPointer<ipc::LineRequest> m_inFlight;
    bool m_again = false;    // the status changed while a line was in flight
    int m_retries = 0;       // the socket just appeared: it may not listen yet
    QByteArray m_socketSeen; // identity (inode, ctime) of the socket file last told
    QTimer m_retry;
};

} // namespace softphone::tray
