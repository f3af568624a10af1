#include "TurnGrant.h"

#include "rtp/TurnCredentials.h"
#include "softphone-server/common/ServerLogging.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QRegularExpression>

namespace softphone::server::appserver {

namespace {
constexpr auto kServerKey = "appserver.turn_server";
constexpr auto kSecretKey = "appserver.turn_secret_file";
constexpr int kMaxSecretBytes = 4096;

// "turn.example.org:3478": a DNS name (RFC 1123 labels, at most 253
// characters) and a port; the clients resolve it (client/IceServerNames).
bool isHostNamePort(const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^(?=.{1,253}:)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*:(?<port>[0-9]{1,5})$"));
    const QRegularExpressionMatch match = form.match(text);
    if (!match.hasMatch())
        return false;
    const int port = match.captured(u"port").toInt();
    return port > 0 && port <= 65535;
}
} // namespace

std::optional<TurnGrant> TurnGrant::fromOptions(const ServerOptions &options, QString *error)
{
    const QString server = options.settings.value(QLatin1StringView(kServerKey));
    const QString secretFile = options.settings.value(QLatin1StringView(kSecretKey));
    if (server.isEmpty() && secretFile.isEmpty())
        return std::nullopt;
    auto refuse = [error](const QString &why) -> std::optional<TurnGrant> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (server.isEmpty() || secretFile.isEmpty())
        return refuse(QStringLiteral("TURN needs both --set %1=HOST:PORT and --set %2=PATH")
                          .arg(QLatin1StringView(kServerKey), QLatin1StringView(kSecretKey)));
    QHostAddress host;
    quint16 port = 0;
    QString why;
    const bool numeric =
        ServerOptions::parseHostPort(server, &host, &port, &why) && !host.isNull() && port != 0;
    if (!numeric && !isHostNamePort(server))
        return refuse(QStringLiteral("--set %1 needs HOST:PORT (a host name or a numeric "
                                     "address), not '%2'")
                          .arg(QLatin1StringView(kServerKey), server));
    QFile file(secretFile);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("cannot read the TURN secret file %1: %2")
                          .arg(secretFile, file.errorString()));
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        qCWarning(lcServerApp) << "the TURN secret file" << secretFile
                               << "is readable by others; make it 0600";
    TurnGrant grant;
    grant.m_secret = file.read(kMaxSecretBytes).trimmed();
    if (grant.m_secret.isEmpty())
        return refuse(QStringLiteral("the TURN secret file %1 is empty").arg(secretFile));
    grant.m_server = server;
    grant.m_ttlSeconds =
        options.count(QStringLiteral("appserver.turn_ttl"), kDefaultTtlSeconds, 60, 7 * 86400);
    qCInfo(lcServerApp) << "TURN credentials for" << server << "valid" << grant.m_ttlSeconds << "s";
    return grant;
}

QJsonObject TurnGrant::iceFor(const QString &user, const QDateTime &now) const
{
    const rtp::TurnCredentials credentials =
        rtp::turnRestCredentials(m_secret, user, now.toSecsSinceEpoch() + m_ttlSeconds);
    const QJsonObject turn{
        {QStringLiteral("urls"), QJsonArray{QStringLiteral("turn:%1?transport=udp").arg(m_server),
                                            QStringLiteral("turn:%1?transport=tcp").arg(m_server)}},
        {QStringLiteral("username"), credentials.username},
        {QStringLiteral("credential"), credentials.password},
        {QStringLiteral("ttl"), m_ttlSeconds}};
    return {{QStringLiteral("stun"), QJsonArray{QStringLiteral("stun:%1").arg(m_server)}},
            {QStringLiteral("turn"), QJsonArray{turn}}};
}

} // namespace softphone::server::appserver
