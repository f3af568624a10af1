#pragma once
// The caller's half of the seed's steps 3-4 written once for every app
// (softphone, softphone-tray, softphone-cli): POST the service's push pairs to
// the application server (`POST /v1/push`, docs/protocol.md), which pushes one
// Web Push per device. attach() is the opt-in glue that does it for every
// call and message of a SoftphoneClient and reports each post as a signal.

#include "RequestTls.h"
#include "protocol/Message.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace softphone::client {

class SoftphoneClient;

// One device's outcome as the application server reports it.
struct PushPairOutcome
{
    QString device;
    // delivered | gone | retry_later | rejected | duplicate | not_allowed | expired
    // (docs/protocol.md "Relaying pushes"); the server never says more.
    QString outcome;
    QString error; // empty (older servers sent a reason text)
};

class PushPairSender : public QObject
{
    Q_OBJECT

public:
    explicit PushPairSender(const QUrl &appServerUrl, QObject *parent = nullptr);

    void setSslConfiguration(const QSslConfiguration &configuration) { m_tls.set(configuration); }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // Posts from now on go to this application server (another node of the service).
    void setAppServerUrl(const QUrl &url) { m_baseUrl = url; }

    // error: empty when the application server answered with outcomes.
    using Done = std::function<void(const QList<softphone::client::PushPairOutcome> &outcomes,
                                    const QString &error)>;
    // id is the call id (isCall) or message id. Ends in one call of `done`, never
    // before post() returned and never once `context` (or this sender) is destroyed.
    void post(const QString &accessToken, bool isCall, const QString &id,
              const QList<protocol::PushPair> &pairs, QObject *context, Done done);

    // From now on the pairs of every outgoing call and message of `client` are
    // posted with the client's current access token, each ending in posted or
    // postFailed. One client per sender.
    void attach(SoftphoneClient *client);

signals:
    void posted(const QString &id, const QList<softphone::client::PushPairOutcome> &outcomes);
    void postFailed(const QString &id, const QString &error);

private:
    void postAttached(bool isCall, const QString &id, const QList<protocol::PushPair> &pairs);
    static QList<PushPairOutcome> outcomesOf(QNetworkReply *reply, QString *error);

    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
    RequestTls m_tls;
    std::chrono::milliseconds m_timeout{15000};
    QPointer<SoftphoneClient> m_client;
};

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::PushPairOutcome)
