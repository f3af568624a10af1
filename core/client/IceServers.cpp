#include "IceServers.h"

#include "common/Logging.h"

#include <QHostAddress>
#include <QJsonArray>

namespace softphone::client {

namespace {
constexpr int kMaxServers = 4;
constexpr int kMaxUrls = 4;
constexpr int kMaxCredentialChars = 512;
} // namespace

std::optional<IceUrl> parseIceUrl(const QString &url)
{
    IceUrl parsed;
    QString rest;
    for (const char *scheme : {"turns", "turn", "stun"}) {
        const QString prefix = QLatin1String(scheme) + QLatin1Char(':');
        if (url.startsWith(prefix)) {
            parsed.scheme = QLatin1String(scheme);
            rest = url.mid(prefix.size());
            break;
        }
    }
    if (parsed.scheme.isEmpty())
        return std::nullopt;
    const qsizetype query = rest.indexOf(QLatin1Char('?'));
    if (query >= 0) {
        parsed.query = rest.mid(query + 1);
        rest.truncate(query);
        if (parsed.query != u"transport=udp" && parsed.query != u"transport=tcp")
            return std::nullopt;
    }
    QString host = rest;
    parsed.port = parsed.scheme == u"turns" ? 5349 : 3478;
    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon > 0 && (rest.startsWith(QLatin1Char('[')) ? rest.at(colon - 1) == QLatin1Char(']')
                                                        : rest.count(QLatin1Char(':')) == 1)) {
        bool ok = false;
        const uint port = rest.mid(colon + 1).toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return std::nullopt;
        parsed.port = quint16(port);
        host = rest.left(colon);
    }
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        return std::nullopt;
    parsed.host = host;
    return parsed;
}

QString IceUrl::withHost(const QString &address) const
{
    const QString hostPart =
        address.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(address) : address;
    QString url = QStringLiteral("%1:%2:%3").arg(scheme, hostPart).arg(port);
    if (!query.isEmpty())
        url += QLatin1Char('?') + query;
    return url;
}

std::optional<rtp::IceAgent::Server> iceServerFromUrl(const QString &url)
{
    using Transport = rtp::IceAgent::Server::Transport;
    const auto parsed = parseIceUrl(url);
    if (!parsed)
        return std::nullopt;
    if (parsed->scheme == u"turns") {
        qCInfo(lcClient) << "ICE server" << url
                         << "skipped: libnice 0.1.21 has no TURN over TLS (plain TCP to it)";
        return std::nullopt;
    }
    const QHostAddress address(parsed->host);
    if (address.isNull()) {
        qCInfo(lcClient) << "ICE server" << url
                         << "skipped: not a numeric address (a name is resolved first)";
        return std::nullopt;
    }
    rtp::IceAgent::Server server;
    server.address = address.toString();
    server.port = parsed->port;
    server.transport = parsed->query == u"transport=tcp" ? Transport::Tcp : Transport::Udp;
    return server;
}

rtp::IceAgent::Settings iceSettingsFromLogin(const QJsonObject &ice, rtp::IceAgent::Settings base)
{
    const QJsonArray stun = ice.value(QLatin1StringView("stun")).toArray();
    for (qsizetype i = 0; i < stun.size() && i < kMaxUrls && !base.stun; ++i) {
        const QString url = stun.at(i).toString();
        if (url.startsWith(u"stun:"))
            base.stun = iceServerFromUrl(url);
    }
    const QJsonArray turn = ice.value(QLatin1StringView("turn")).toArray();
    for (qsizetype i = 0; i < turn.size() && i < kMaxServers; ++i) {
        const QJsonObject entry = turn.at(i).toObject();
        const QString username = entry.value(QLatin1StringView("username")).toString();
        const QString credential = entry.value(QLatin1StringView("credential")).toString();
        if (username.isEmpty() || credential.isEmpty() || username.size() > kMaxCredentialChars ||
            credential.size() > kMaxCredentialChars)
            continue;
        const QJsonArray urls = entry.value(QLatin1StringView("urls")).toArray();
        for (qsizetype u = 0; u < urls.size() && u < kMaxUrls; ++u) {
            const QString url = urls.at(u).toString();
            if (!url.startsWith(u"turn"))
                continue;
            if (auto server = iceServerFromUrl(url)) {
                server->username = username;
                server->password = credential;
                base.turn.push_back(*server);
            }
        }
    }
    return base;
}

} // namespace softphone::client
