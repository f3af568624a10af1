#pragma once
// This device's push registration with the calling service (capability `push`,
// docs/protocol.md "Push registration"), a child of SoftphoneClient
// (SoftphoneClient::pushRegistration()). The app registers its push data once;
// it is kept and stated again after every reconnect, so a service that lost it
// (or a reconnect racing an unregister) ends up right. Its outcome comes out of
// this object's own signals.

#include <QByteArray>
#include <QObject>

namespace softphone::protocol {
struct Message;
}

namespace softphone::client {

class SoftphoneClient;

class PushRegistration : public QObject
{
    Q_OBJECT
public:
    // At most 1024 bytes. False with registrationFailed (queued) when push
    // support is off, the client was terminated or the data is empty/too large;
    // nothing is sent then. Otherwise sent now or at the next connection, and
    // again after each reconnect; registered() when the service stored it.
    bool registerData(const QByteArray &data);
    // From the service's `ok` on, this device gets no more pushes (unregistered()).
    bool unregisterData();
    // The registered data (empty when none or after a refusal).
    QByteArray data() const { return m_data; }

signals:
    void registered();
    void registrationFailed(const QString &error);
    void unregistered();
    void unregistrationFailed(const QString &error);

private:
    friend class SoftphoneClient;
    explicit PushRegistration(SoftphoneClient *client);

    // From SoftphoneClient: a new session was welcomed; the connection was lost;
    // a reply (`ok`/`error`) arrived (true if it was ours).
    void afterWelcome();
    void connectionLost() { m_requestId.clear(); }
    bool handleReply(const protocol::Message &message);
    void send();

    enum class Intent { None, Register, Unregister };
    SoftphoneClient *m_client;
    QByteArray m_data; // the device's registration, kept across reconnects
    Intent m_intent = Intent::None;
    QString m_requestId; // the push.register/unregister in flight
};

} // namespace softphone::client
