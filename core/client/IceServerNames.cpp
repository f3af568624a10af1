#include "IceServerNames.h"

#include "IceServers.h"
#include "common/Logging.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>

namespace softphone::client {

namespace {
// The host name of a STUN/TURN URL, empty when it is numeric or no such URL.
QString nameIn(const QJsonValue &url)
{
    const auto parsed = parseIceUrl(url.toString());
    if (!parsed || !QHostAddress(parsed->host).isNull())
        return {};
    return parsed->host;
}

// Calls f(url value) for every URL of `ice`, replacing it with f's result
// (a null QJsonValue drops it).
template<typename F> QJsonObject mapUrls(const QJsonObject &ice, F f)
{
    QJsonObject out = ice;
    QJsonArray stun;
    for (const QJsonValue &url : ice.value(QLatin1StringView("stun")).toArray())
        if (const QJsonValue mapped = f(url); !mapped.isNull())
            stun.append(mapped);
    out.insert(QStringLiteral("stun"), stun);
    QJsonArray turn;
    for (const QJsonValue &entry : ice.value(QLatin1StringView("turn")).toArray()) {
        QJsonObject server = entry.toObject();
        QJsonArray urls;
        for (const QJsonValue &url : server.value(QLatin1StringView("urls")).toArray())
            if (const QJsonValue mapped = f(url); !mapped.isNull())
                urls.append(mapped);
        server.insert(QStringLiteral("urls"), urls);
        turn.append(server);
    }
    out.insert(QStringLiteral("turn"), turn);
    return out;
}
} // namespace

IceServerNames::IceServerNames(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        for (const QString &name : std::as_const(m_pending))
            qCInfo(lcClient) << "ICE server name" << name << "not resolved within"
                             << kLookupTimeoutMs / 1000 << "s: its URLs are left out";
        abortAll();
        finish();
    });
}

IceServerNames::~IceServerNames()
{
    abortAll();
}

bool IceServerNames::hasNames(const QJsonObject &ice)
{
    bool named = false;
    mapUrls(ice, [&named](const QJsonValue &url) {
        named = named || !nameIn(url).isEmpty();
        return url;
    });
    return named;
}

void IceServerNames::abortAll()
{
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        QHostInfo::abortHostLookup(it.key());
    m_pending.clear();
}

void IceServerNames::resolve(const QJsonObject &ice)
{
    abortAll();
    m_deadline.stop();
    m_ice = ice;
    m_addresses.clear();
    QStringList names;
    mapUrls(ice, [&names](const QJsonValue &url) {
        const QString name = nameIn(url);
        if (!name.isEmpty() && !names.contains(name))
            names << name;
        return url;
    });
    for (const QString &name : std::as_const(names)) {
        if (m_addresses.size() + m_pending.size() >= kMaxNames) {
            qCInfo(lcClient) << "ICE server name" << name << "not looked up: more than" << kMaxNames
                             << "names";
            m_addresses.insert(name, QString());
            continue;
        }
        const int id = QHostInfo::lookupHost(name, this, &IceServerNames::lookedUp);
        m_pending.insert(id, name);
    }
    if (m_pending.isEmpty()) {
        finish();
        return;
    }
    m_deadline.start(kLookupTimeoutMs);
}

void IceServerNames::lookedUp(const QHostInfo &info)
{
    const QString name = m_pending.take(info.lookupId());
    if (name.isEmpty())
        return; // an aborted or replaced lookup
    QString address;
    for (const QHostAddress &candidate : info.addresses()) {
        if (address.isEmpty() || candidate.protocol() == QAbstractSocket::IPv4Protocol) {
            address = candidate.toString();
            if (candidate.protocol() == QAbstractSocket::IPv4Protocol)
                break;
        }
    }
    if (address.isEmpty())
        qCInfo(lcClient) << "ICE server name" << name << "did not resolve:" << info.errorString();
    else
        qCInfo(lcClient) << "ICE server name" << name << "is" << address;
    m_addresses.insert(name, address);
    if (m_pending.isEmpty()) {
        m_deadline.stop();
        finish();
    }
}

void IceServerNames::finish()
{
    const QJsonObject ice = mapUrls(m_ice, [this](const QJsonValue &url) -> QJsonValue {
        const QString name = nameIn(url);
        if (name.isEmpty())
            return url;
        const QString address = m_addresses.value(name);
        if (address.isEmpty())
            return QJsonValue();
        return parseIceUrl(url.toString())->withHost(address);
    });
    emit resolved(ice);
}

} // namespace softphone::client
