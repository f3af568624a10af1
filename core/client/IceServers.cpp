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

std::optional<rtp::IceAgent::Server> iceServerFromUrl(const QString &url)
{
    using Transport = rtp::IceAgent::Server::Transport;
    rtp::IceAgent::Server server;
    QString rest;
    if (url.startsWith(u"turns:")) {
        server.transport = Transport::Tls;
        rest = url.mid(6);
    } else if (url.startsWith(u"turn:") || url.startsWith(u"stun:")) {
        rest = url.mid(5);
    } else {
        return std::nullopt;
    }
    const qsizetype query = rest.indexOf(QLatin1Char('?'));
    if (query >= 0) {
        const QString transport = rest.mid(query + 1);
        rest.truncate(query);
        if (transport == u"transport=tcp" && server.transport == Transport::Udp)
            server.transport = Transport::Tcp;
        else if (transport != u"transport=udp" && transport != u"transport=tcp")
            return std::nullopt;
    }
    QString host = rest;
    server.port = server.transport == Transport::Tls ? 5349 : 3478;
    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon > 0 && (rest.startsWith(QLatin1Char('[')) ? rest.at(colon - 1) == QLatin1Char(']')
                                                        : rest.count(QLatin1Char(':')) == 1)) {
        bool ok = false;
        const uint port = rest.mid(colon + 1).toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return std::nullopt;
        server.port = quint16(port);
        host = rest.left(colon);
    }
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (address.isNull()) {
        qCInfo(lcClient) << "ICE server" << url << "skipped: not a numeric address";
        return std::nullopt;
    }
    server.address = address.toString();
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
