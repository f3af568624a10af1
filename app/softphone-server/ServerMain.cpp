#include "ServerMain.h"

#include "RoleFactory.h"
#include "softphone-server/bus/RedisClient.h"
#include "softphone-server/common/ServerLogging.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSslCertificate>
#include <QSslKey>

namespace softphone::server {

ServerMain::ServerMain(const ServerOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_keys(options.dataDir)
{}

ServerMain::~ServerMain()
{
    // Roles go before the listeners they registered routes on, newest first.
    while (!m_roles.empty())
        m_roles.pop_back();
}

bool ServerMain::setUpTls(QString *error)
{
    QFile certFile(m_options.tlsCert);
    QFile keyFile(m_options.tlsKey);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read --tls-cert %1: %2")
                     .arg(m_options.tlsCert, certFile.errorString());
        return false;
    }
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read --tls-key %1: %2")
                     .arg(m_options.tlsKey, keyFile.errorString());
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    if (chain.isEmpty() || key.isNull()) {
        *error = QStringLiteral("--tls-cert/--tls-key: no PEM certificate or no EC/RSA PEM key");
        return false;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with tokens
    m_ws.setTlsConfiguration(config);
    m_http.setTlsConfiguration(config);
    return true;
}

bool ServerMain::start(QString *error)
{
    if (!QDir().mkpath(m_options.dataDir)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(m_options.dataDir);
        return false;
    }
    QFile::setPermissions(m_options.dataDir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (m_options.tlsEnabled() && !setUpTls(error))
        return false;

    // Unknown names are an error before anything listens, so a typo never starts a
    // server that silently lacks a role.
    const QStringList available = availableRoles();
    for (const QString &name : m_options.roles) {
        if (!available.contains(name)) {
            *error = QStringLiteral("unknown role '%1' (built in: %2)")
                         .arg(name, available.join(QStringLiteral(", ")));
            return false;
        }
    }
    if (!m_keys.load(error))
        return false;
    m_ws.configure(m_options);
    m_http.configure(m_options);
    if (!m_ws.listen(m_options.wsHost, m_options.wsPort, error))
        return false;
    if (!m_http.listen(m_options.httpHost, m_options.httpPort, error))
        return false;

    m_context = std::make_unique<ServerContext>(ServerContext{m_options, m_ws, m_http, m_keys});
    if (!m_options.bus.isEmpty()) {
        const auto endpoint = bus::RedisClient::parseUrl(m_options.bus, error);
        if (!endpoint)
            return false;
        m_bus = std::make_unique<bus::RedisClient>(*endpoint);
        // --set bus.timeout=SECONDS: no reply within this and Redis counts as down.
        m_bus->setCommandTimeout(
            m_options.milliseconds(QStringLiteral("bus.timeout"), std::chrono::seconds(2)));
        m_context->bus = m_bus.get();
    }
    for (const QString &name : available) {
        if (!m_options.roles.contains(name))
            continue;
        std::unique_ptr<Role> role = createRole(name);
        if (!role->start(*m_context, error)) {
            *error = QStringLiteral("role %1: %2").arg(name, *error);
            return false;
        }
        qCInfo(lcServerApp) << "role" << name << "started";
        m_roles.push_back(std::move(role));
    }
    if (m_bus) {
        qCInfo(lcServerBus) << "node" << m_options.nodeId << "on the bus at" << m_bus->address();
        m_bus->start(); // the roles subscribed what they need
    }
    return true;
}

QJsonObject ServerMain::startLine() const
{
    QJsonObject line{
        {"event", "listening"},
        {"calling", m_ws.url(QStringLiteral("/v1/calling")).toString()},
        {"push_ws", m_ws.url(QStringLiteral("/v1/push")).toString()},
        {"appserver", m_http.url().toString()},
        {"push_http", m_http.url(QStringLiteral("/wpush")).toString()},
    };
    QJsonArray roles;
    for (const auto &role : m_roles) {
        roles.append(role->name());
        const QJsonObject extra = role->urls();
        for (auto it = extra.begin(); it != extra.end(); ++it)
            line.insert(it.key(), it.value());
    }
    line.insert("roles", roles);
    return line;
}

} // namespace softphone::server
