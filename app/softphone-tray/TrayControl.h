#pragma once
// The agent's local control door, for the session and scripts (there is no
// tray menu to click on a headless or scripted desktop):
//   softphone-tray --sign-out   signs the running agent out (push unregistered
//                               first) and exits 0 once it has, 1 when none runs.
//
// Socket: tray.control next to the softphone's instance socket (ipc::runtimeDir(),
// a folder only the user can enter, checked; the socket is created with
// QLocalServer::UserAccessOption). Protocol version 1 (ipc::kTrayControlProtocol,
// served by ipc::LineServer), one line of UTF-8 JSON each way, at most 4096 bytes:
//   {"v":1,"type":"sign_out"}   ->  {"v":1,"type":"ok"} once unregistered
//   anything else               ->  {"v":1,"type":"error","code":"bad_json"|
//                                   "unsupported_version"|"unknown_type"|"too_large"|
//                                   "idle_timeout"|"busy","message":"..."}
// A bad line never affects another connection.

#include <QObject>
#include <functional>

namespace softphone::ipc {
class LineServer;
}

namespace softphone::tray {

class TrayControl : public QObject
{
    Q_OBJECT

public:
    // socketPath: ipc::socketPath(ipc::kTrayControlProtocol).
    explicit TrayControl(const QString &socketPath, QObject *parent = nullptr);
    ~TrayControl() override;

    // Call only while holding the single-instance lock: a file left there is stale.
    bool listen(QString *error);

    // The client side (a second softphone-tray): sends one command and waits
    // for the answer (blocking: the process does nothing else). True on "ok";
    // otherwise false with the reason in *error.
    static bool send(const QString &socketPath, const QString &type, QString *error,
                     int timeoutMs = 20000);

signals:
    // done() answers the requester; call it once the sign-out is complete.
    void signOutRequested(std::function<void()> done);

private:
    ipc::LineServer *m_server;
};

} // namespace softphone::tray
