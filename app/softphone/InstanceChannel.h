#pragma once
// One softphone per user, and the local door other processes knock on.
//
// Local socket protocol, version 1 (ipc::kInstanceProtocol, served by ipc::LineServer)
// ---------------------------------------------------------------------------------
// Socket: "instance" in ipc::runtimeDir() ($XDG_RUNTIME_DIR/softphone, else
// /tmp/softphone-<uid>: a folder only the user can enter, checked; the socket
// itself is created with QLocalServer::UserAccessOption). When that folder is
// not ours or is open to others, there is no socket: ipc::socketPath() fails.
// Each message is ONE line of UTF-8 JSON ending in "\n", at most 65536 bytes;
// every message has "v": 1 and a string "type":
//   {"v":1,"type":"activate","args":["--minimized","softphone:bob"]}
//        a second launch forwards its arguments (argv without argv[0]); the
//        first instance shows its window and dials a URI if there is one.
//   {"v":1,"type":"push","payload":"<the push payload, as received>"}
//        the tray agent hands a push over (PushHandoff); the softphone gives it
//        to its client (SoftphoneClient::relayRemotePushNotificationPayload).
//        Its "ok" also carries "handledCalls": the ids of the incoming calls
//        answered or declined in this softphone lately (the service's cancel
//        push for one of them is no missed call: the agent shows none).
//   {"v":1,"type":"push_status","state":"registered"|"registering"|"failed"|"off",
//    "endpointHost":"push.example.org:443","reason":"..."}
//        the tray agent's push registration, sent on every change and whenever
//        this socket appears (a softphone started after the agent). Only the
//        push service's host is told, never the endpoint (its token is the
//        credential). "endpointHost" is required for "registered", "reason" for
//        "failed" and "off"; the Settings page shows it.
// Types are only ever added within version 1: an older peer answers a type it
// does not know with "unknown_type", which the sender logs and lives with.
// The answer to each message is one line:
//   {"v":1,"type":"ok"}
//   {"v":1,"type":"error","code":"bad_json"|"unsupported_version"|"unknown_type"|
//                             "bad_request"|"too_large"|"idle_timeout"|"busy",
//    "message":"..."}
// A line over the limit gets "too_large" and the connection is closed, as does
// a connection silent for 10 s; over 32 connections at once the new one gets
// "busy" (LineServer.h); an error never affects other connections.
//
// Two launches at once (the agent starts one for a push and, a moment later,
// one for a notification's Answer) must not both become the first: only the
// holder of the lock file "<socket>.lock" listens; the other knocks again until
// the holder listens (a dead holder's lock is stale at once: pid check).

#include <QJsonObject>
#include <QLockFile>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

namespace softphone::ipc {
class LineReply;
class LineServer;
} // namespace softphone::ipc

namespace softphone::app {

class InstanceChannel : public QObject
{
    Q_OBJECT

public:
    // socketPath: ipc::socketPath(ipc::kInstanceProtocol) (tests: a folder of their own).
    explicit InstanceChannel(const QString &socketPath, QObject *parent = nullptr);
    ~InstanceChannel() override;

    QString socketPath() const { return m_path; }

    // Asynchronous: forwards `args` to a running first instance (forwarded())
    // or, when there is none, becomes the first instance (becamePrimary()).
    void claimOrForward(const QStringList &args);
    // Extra fields for the "ok" answer to a "push" (see above).
    void setPushAnswerFields(std::function<QJsonObject()> fields)
    {
        m_pushAnswerFields = std::move(fields);
    }

signals:
    void becamePrimary();
    void forwarded();
    void failed(const QString &reason);
    // As the first instance:
    void activationRequested(const QStringList &args);
    void pushPayloadReceived(const QString &payload);
    // state: registered, registering, failed or off (validated).
    void agentPushStatusReceived(const QString &state, const QString &endpointHost,
                                 const QString &reason);

private:
    void listen();
    void becomeFirstOrKnockAgain();
    void handle(const QString &type, const QJsonObject &message, const ipc::LineReply &reply);
    // Empty when valid, else why (a "bad_request").
    static QString checkPushStatus(const QJsonObject &message);

    QString m_path;
    ipc::LineServer *m_server = nullptr;
    QStringList m_args; // what claimOrForward() forwards
    std::unique_ptr<QLockFile> m_lock;
    int m_knocks = 0;
    std::function<QJsonObject()> m_pushAnswerFields;
};

} // namespace softphone::app
