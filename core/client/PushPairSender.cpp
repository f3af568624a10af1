#include "PushPairSender.h"

#include "SoftphoneClient.h"
#include "common/Logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

namespace softphone::client {

namespace {
constexpr qint64 kMaxReplyBytes = 65536; // one short result per device
} // namespace

PushPairSender::PushPairSender(const QUrl &appServerUrl, QObject *parent)
    : QObject(parent)
    , m_baseUrl(appServerUrl)
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<PushPairOutcome>();
    qRegisterMetaType<QList<PushPairOutcome>>();
}

void PushPairSender::post(const QString &accessToken, bool isCall, const QString &id,
                          const QList<protocol::PushPair> &pairs, QObject *context, Done done)
{
    Q_ASSERT(context);
    const QString scheme = m_baseUrl.scheme();
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty() ||
        (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("https")) ||
        accessToken.isEmpty()) {
        const QString why = accessToken.isEmpty()
                                ? QStringLiteral("no access token to post push pairs with")
                                : QStringLiteral("the application server URL must be http(s)://");
        QMetaObject::invokeMethod(
            context,
            [done = std::move(done), why] {
                if (done)
                    done({}, why);
            },
            Qt::QueuedConnection);
        return;
    }
    QJsonArray list;
    for (const protocol::PushPair &pair : pairs)
        list.append(QJsonObject{{"device", pair.device},
                                {"payload", pair.payload},
                                {"pushData", QString::fromLatin1(pair.pushData.toBase64())}});
    const QJsonObject body{{isCall ? "callId" : "messageId", id}, {"pairs", list}};

    QUrl url = m_baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
                QStringLiteral("/v1/push"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    request.setTransferTimeout(int(m_timeout.count()));
    m_tls.applyTo(request);
    QNetworkReply *reply =
        m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this,
            [id, reply, guard = QPointer<QObject>(context), done = std::move(done)] {
                reply->deleteLater();
                if (!guard || !done)
                    return;
                QString error;
                const QList<PushPairOutcome> outcomes = outcomesOf(reply, &error);
                if (error.isEmpty())
                    qCInfo(lcClient)
                        << "posted push pairs for" << id << ":" << outcomes.size() << "results";
                done(outcomes, error);
            });
}

QList<PushPairOutcome> PushPairSender::outcomesOf(QNetworkReply *reply, QString *error)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        *error =
            QStringLiteral("cannot reach the application server: %1").arg(reply->errorString());
        return {};
    }
    const QJsonObject body = QJsonDocument::fromJson(reply->read(kMaxReplyBytes)).object();
    if (status != 200) {
        const QString message = body.value(QLatin1StringView("message")).toString();
        *error = QStringLiteral("the application server answered %1 %2: %3")
                     .arg(status)
                     .arg(body.value(QLatin1StringView("error")).toString(), message);
        return {};
    }
    QList<PushPairOutcome> outcomes;
    for (const QJsonValue &value : body.value(QLatin1StringView("results")).toArray()) {
        const QJsonObject result = value.toObject();
        const QJsonValue e = result.value(QLatin1StringView("error"));
        outcomes.append(
            {result.value(QLatin1StringView("device")).toString(),
             result.value(QLatin1StringView("outcome")).toString(),
             e.isString()
                 ? e.toString()
                 : (e.isObject() ? e.toObject().value(QLatin1StringView("message")).toString()
                                 : QString())});
    }
    return outcomes;
}

void PushPairSender::postAttached(bool isCall, const QString &id,
                                  const QList<protocol::PushPair> &pairs)
{
    if (!m_client)
        return;
    post(m_client->accessToken(), isCall, id, pairs, this,
         [this, id](const QList<PushPairOutcome> &outcomes, const QString &error) {
             if (error.isEmpty())
                 emit posted(id, outcomes);
             else
                 emit postFailed(id, error);
         });
}

void PushPairSender::attach(SoftphoneClient *client)
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->messaging()->disconnect(this);
    }
    m_client = client;
    connect(client, &SoftphoneClient::callShouldSendPushNotification, this,
            [this](Call *call, const QList<protocol::PushPair> &pairs) {
                postAttached(true, call->id(), pairs);
            });
    connect(client->messaging(), &Messaging::messageShouldSendPushNotification, this,
            [this](const QString &messageId, const QList<protocol::PushPair> &pairs) {
                postAttached(false, messageId, pairs);
            });
}

} // namespace softphone::client
