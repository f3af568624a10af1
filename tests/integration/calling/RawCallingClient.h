#pragma once
// A bare WebSocket client of /v1/calling for service tests: sends exactly the
// frames a test writes and records everything the service says, so the tests
// check the service and not the client core.

#include "protocol/Message.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <memory>

namespace softphone::test {

class ServerProcess;
class TestCluster;

class RawCallingClient : public QObject
{
    Q_OBJECT
public:
    explicit RawCallingClient(QObject *parent = nullptr);

    bool open(const QUrl &url);
    // open + hello + welcome; false if no welcome came.
    bool signIn(const QUrl &url, const QString &token, const QString &device, bool calling = true);
    // The same with every capability chosen (e.g. an agent: push only).
    bool signIn(const QUrl &url, const QString &token, const QString &device,
                const protocol::Capabilities &capabilities);

    // A new client signed in as `device`; null if no welcome came.
    static std::unique_ptr<RawCallingClient> signedIn(const QUrl &url, const QString &token,
                                                      const QString &device);

    void send(const QJsonObject &message);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // The next received message of this type (earlier ones of other types stay
    // queued); an empty object if none came in time.
    QJsonObject waitFor(const QString &type, int timeoutMs = 10000);
    // The cause of the next `ended`, or a text saying it was not for callId.
    QString endCause(const QString &callId, int timeoutMs = 10000);
    // The code of the next `error`, empty if none came in time.
    QString errorCode(int timeoutMs = 10000);
    // Whether a message of this type is already queued.
    bool hasReceived(const QString &type) const;
    // Every text message received so far that no waitFor() took, in order.
    const QList<QJsonObject> &received() const { return m_received; }
    // Every binary (media) frame received so far, in order.
    const QList<QByteArray> &binaryFrames() const { return m_binary; }
    // Waits for the server to close the connection; the close code, or -1.
    int waitClosed(int timeoutMs = 15000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    QList<QByteArray> m_binary;
    bool m_closed = false;
};

// A token signed with an arbitrary key, for forgery tests; the real service
// key comes from the server's data dir (keys/token.pem).
QString signAccessToken(const QByteArray &privatePem, const QString &user, qint64 iat, qint64 exp);
QString unsignedAccessToken(const QString &user); // alg "none"
QByteArray readTokenKey(const QString &dataDir);
QString newCallId();
// A media frame the relay forwards: shaped like SRTP (RFC 7983 first byte
// 128-191, at least 16 bytes); the text tells the frames apart.
QByteArray srtpLikeFrame(const char *text);
// caller calls calleeUser, whose device `callee` answers: the call's id once
// the caller saw it established, empty if a step did not come in time.
QString establishCall(RawCallingClient &caller, RawCallingClient &callee,
                      const QString &calleeUser);
// A client of `user` on `device` signed in with serviceToken(); null if no welcome came.
std::unique_ptr<RawCallingClient> signedInAs(const ServerProcess &server, const QString &user,
                                             const QString &device);
// An access token for `user` signed with the server's own token key (read from
// its data dir), valid for an hour: what POST /v1/login hands out.
QString serviceToken(const ServerProcess &server, const QString &user);
// A client of `user` on `device` signed in on node `node` of the cluster (with
// node 1's token, good on all), once Redis says the device is there; null if not.
std::unique_ptr<RawCallingClient> signedInOn(TestCluster &cluster, int node, const QString &user,
                                             const QString &device);

// The service answers in order: after this, everything it sent before is queued.
bool caughtUp(RawCallingClient &client);
// presence_subscribe with these users, answered ok.
bool presenceSubscribed(RawCallingClient &client, const QStringList &users);
// "user status" of the next presence event, or "<none>".
QString nextPresence(RawCallingClient &client, int timeoutMs = 10000);
// The presence events received and not taken yet.
int presenceEvents(const RawCallingClient &client);

} // namespace softphone::test
