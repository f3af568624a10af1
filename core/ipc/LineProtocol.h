#pragma once
// What the desktop's local sockets have in common, written once: where each
// socket lives, its protocol version and its limits. Both speak one line of
// UTF-8 JSON each way, every message an object with "v" (the version) and a
// string "type"; an answer is {"v":N,"type":"ok",...} or
// {"v":N,"type":"error","code":"...","message":"..."}. LineServer serves such
// a socket, LineRequest asks one question on it.
//
// The limits are in docs/security.md (desktop): a line longer than maxLine
// bytes gets "too_large" and its connection is closed; a connection that sends
// no request for idleTimeoutMs is closed ("idle_timeout"), except while its
// request is being answered; more than maxConnections at once are answered
// "busy" and closed. The sockets sit in the 0700 runtime folder (runtimeDir())
// and are created for the user only.

#include <QJsonObject>
#include <QString>

namespace softphone::ipc {

struct LineProtocol
{
    const char *socketName; // the file in runtimeDir()
    int version;
    qint64 maxLine; // bytes of one line, its newline included
    int idleTimeoutMs;
    int maxConnections;
    const char *speaker; // who serves it, for "this <speaker> speaks version N"
};

// The softphone's single-instance socket (app/softphone/InstanceChannel.h has
// the messages): second launches, the tray agent's pushes and push status.
inline constexpr LineProtocol kInstanceProtocol{"instance", 1, 65536, 10000, 32, "softphone"};
// The tray agent's control socket (app/softphone-tray/TrayControl.h): --sign-out.
inline constexpr LineProtocol kTrayControlProtocol{"tray.control", 1, 4096, 10000, 8, "agent"};

// runtimeDir() + the protocol's socket name; empty with the reason in *error
// when the runtime folder is refused.
QString socketPath(const LineProtocol &protocol, QString *error = nullptr);

// {"v":<version>,"type":type} plus fields.
QJsonObject lineMessage(const LineProtocol &protocol, const QString &type,
                        const QJsonObject &fields = {});
// {"v":<version>,"type":"error","code":code,"message":message}.
QJsonObject lineError(const LineProtocol &protocol, const QString &code, const QString &message);

// The object as one line (compact JSON and "\n").
QByteArray toLine(const QJsonObject &object);

} // namespace softphone::ipc
