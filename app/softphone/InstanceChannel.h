#pragma once
// One softphone per user, and the local door other processes knock on.
//
// Local socket protocol, version 1
// --------------------------------
// Socket: $XDG_RUNTIME_DIR/softphone/instance (a folder only the user can
// enter; the socket itself is created with QLocalServer::UserAccessOption).
// Falls back to QStandardPaths::TempLocation/softphone-<uid>/instance.
// Each message is ONE line of UTF-8 JSON ending in "\n", at most 65536 bytes;
// every message has "v": 1 and a string "type":
//   {"v":1,"type":"activate","args":["--minimized","softphone:bob"]}
//        a second launch forwards its arguments (argv without argv[0]); the
//        first instance shows its window and dials a URI if there is one.
//   {"v":1,"type":"push","payload":"<the push payload, as received>"}
//        the tray agent relays a push; the softphone hands it to its client.
// The answer to each message is one line:
//   {"v":1,"type":"ok"}
//   {"v":1,"type":"error","code":"bad_json"|"unsupported_version"|"unknown_type"|
//                             "bad_request"|"too_large","message":"..."}
// A line over the limit gets "too_large" and the connection is closed; an
// error never affects other connections.

#include <QJsonObject>
#include <QObject>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

namespace softphone::app {

class InstanceChannel : public QObject
{
    Q_OBJECT

public:
    static constexpr int kVersion = 1;
    static constexpr qint64 kMaxLine = 65536;

    explicit InstanceChannel(const QString &socketPath = defaultSocketPath(),
                             QObject *parent = nullptr);
    ~InstanceChannel() override;

    static QString defaultSocketPath();
    QString socketPath() const { return m_path; }

    // Asynchronous: forwards `args` to a running first instance (forwarded())
    // or, when there is none, becomes the first instance (becamePrimary()).
    void claimOrForward(const QStringList &args);

signals:
    void becamePrimary();
    void forwarded();
    void failed(const QString &reason);
    // As the first instance:
    void activationRequested(const QStringList &args);
    void pushPayloadReceived(const QString &payload);

private:
    void listen();
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    QJsonObject handle(const QByteArray &line);

    QString m_path;
    QLocalServer *m_server = nullptr;
    QLocalSocket *m_probe = nullptr;
    QByteArray m_reply; // the first instance's answer, until its newline
};

} // namespace softphone::app
