#pragma once
// The agent's local control door, for the session and scripts (there is no
// tray menu to click on a headless or scripted desktop):
//   softphone-tray --sign-out   signs the running agent out (push unregistered
//                               first) and exits 0 once it has, 1 when none runs.
//
// Socket: tray.control next to the softphone's instance socket (ipc::runtimeDir(),
// a folder only the user can enter, checked; the socket is created with
// QLocalServer::UserAccessOption). Protocol version 1, one line of
// UTF-8 JSON each way, at most kMaxLine bytes:
//   {"v":1,"type":"sign_out"}   ->  {"v":1,"type":"ok"} once unregistered
//   anything else               ->  {"v":1,"type":"error","code":"bad_json"|
//                                   "unsupported_version"|"unknown_type"|"too_large",
//                                   "message":"..."}
// A bad line closes only its own connection.

#include <QObject>
#include <functional>

class QLocalServer;
class QLocalSocket;

namespace softphone::tray {

class TrayControl : public QObject
{
    Q_OBJECT

public:
    static constexpr int kVersion = 1;
    static constexpr qint64 kMaxLine = 4096;

    explicit TrayControl(const QString &socketPath, QObject *parent = nullptr);
    ~TrayControl() override;

    // Empty with the reason in *error when the runtime folder is refused.
    static QString defaultSocketPath(QString *error);
    // Call only while holding the single-instance lock: a file left there is stale.
    bool listen(QString *error);

    // The client side (a second softphone-tray): sends one command, waits for
    // the answer with a nested event loop (the process does nothing else).
    // True on "ok"; otherwise false with the reason in *error.
    static bool send(const QString &socketPath, const QString &type, QString *error,
                     int timeoutMs = 20000);

signals:
    // done() answers the requester; call it once the sign-out is complete.
    void signOutRequested(std::function<void()> done);

private:
    void onReadyRead(QLocalSocket *socket);

    QString m_path;
    QLocalServer *m_server = nullptr;
};

} // namespace softphone::tray
