#include "ServerOptions.h"

#include "SqlDatabase.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSysInfo>
#include <QUrl>
#include <cmath>

namespace softphone::server {

void ServerOptions::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {"roles", "Comma-separated roles to run (default: every role built in).", "roles"},
        {"listen", "WebSocket listener address (default 127.0.0.1:0).", "host:port"},
        {"http-listen",
         "HTTP listener address (default: the listen host, port 0 when the listen port is 0, "
         "else the listen port + 1).",
         "host:port"},
        {"data-dir", "Directory for keys and databases.", "dir"},
        {"database",
         "Keep accounts, push registrations, messages and the push store in this PostgreSQL "
         "database instead of SQLite files in the data dir: postgresql://user@host:port/dbname "
         "(or postgresql://user@/dbname?host=/run/postgresql for a unix socket).",
         "url"},
        {"bus",
         "Share device locations and call events with the other nodes of a cluster through "
         "this Redis: redis://host:port. Without it the node serves only its own devices.",
         "url"},
        {"node-id",
         "This node's name on the bus (letters, digits, '.', '_', '-'; default: host "
         "name, process id and a random suffix).",
         "name"},
        {"tls-cert", "PEM certificate file: serve wss:// and https://.", "file"},
        {"tls-key", "PEM private key file for --tls-cert.", "file"},
        {"ring-timeout", "Seconds an unanswered call rings (default 45).", "seconds"},
        {"token-public-key", "PEM public key verifying access tokens (calling role alone).",
         "file"},
        {"public-calling-url", "Calling URL handed to clients at login.", "url"},
        {"public-push-url", "Push WebSocket URL handed to clients at login.", "url"},
        {"push-allow",
         "A push-service origin the application server may send to, e.g. https://push.example "
         "(repeatable; its own push role's origin is always allowed).",
         "origin"},
        {"demo", "Create demo users alice, bob and carol and print their passwords."},
        {"set", "Role setting key=value (repeatable).", "key=value"},
    });
}

bool ServerOptions::parseHostPort(const QString &text, QHostAddress *host, quint16 *port,
                                  QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0) {
        *error = QStringLiteral("'%1' is not HOST:PORT").arg(text);
        return false;
    }
    QString hostText = text.left(colon);
    if (hostText.startsWith(u'[') && hostText.endsWith(u']'))
        hostText = hostText.mid(1, hostText.size() - 2);
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535) {
        *error = QStringLiteral("'%1': the port must be a number 0-65535").arg(text);
        return false;
    }
    QHostAddress address;
    if (hostText.isEmpty() || hostText == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (hostText == u"*")
        address = QHostAddress(QHostAddress::Any);
    else if (!address.setAddress(hostText)) {
        *error = QStringLiteral("'%1': '%2' is not an IP address").arg(text, hostText);
        return false;
    }
    *host = address;
    *port = quint16(value);
    return true;
}

QString ServerOptions::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

std::optional<ServerOptions> ServerOptions::fromParser(const QCommandLineParser &parser,
                                                       const QStringList &defaultRoles,
                                                       QString *error)
{
    ServerOptions o;
    if (parser.isSet("roles")) {
        for (const QString &r : parser.value("roles").split(u',', Qt::SkipEmptyParts)) {
            const QString name = r.trimmed();
            if (!name.isEmpty() && !o.roles.contains(name))
                o.roles << name;
        }
    } else {
        o.roles = defaultRoles;
    }
    if (parser.isSet("listen") &&
        !parseHostPort(parser.value("listen"), &o.wsHost, &o.wsPort, error))
        return std::nullopt;
    if (parser.isSet("http-listen")) {
        if (!parseHostPort(parser.value("http-listen"), &o.httpHost, &o.httpPort, error))
            return std::nullopt;
    } else {
        o.httpHost = o.wsHost;
        if (o.wsPort == 65535) {
            *error = QStringLiteral("--listen port 65535 leaves no default HTTP port; give "
                                    "--http-listen");
            return std::nullopt;
        }
        o.httpPort = o.wsPort == 0 ? 0 : quint16(o.wsPort + 1);
    }
    o.dataDir = parser.isSet("data-dir") ? parser.value("data-dir") : defaultDataDir();
    if (o.dataDir.isEmpty()) {
        *error = QStringLiteral("no data directory: give --data-dir");
        return std::nullopt;
    }
    o.database = parser.value("database");
    if (!o.database.isEmpty() && !SqlDatabase::postgresUrl(o.database, error))
        return std::nullopt;
    o.bus = parser.value("bus");
    if (!o.bus.isEmpty() && !validBusUrl(o.bus, error))
        return std::nullopt;
    o.nodeId = parser.value("node-id");
    static const QRegularExpression nodeName(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    if (parser.isSet("node-id") && !nodeName.match(o.nodeId).hasMatch()) {
        *error =
            QStringLiteral("--node-id '%1': 1-64 letters, digits, '.', '_' or '-'").arg(o.nodeId);
        return std::nullopt;
    }
    if (o.nodeId.isEmpty())
        o.nodeId = QStringLiteral("%1-%2-%3")
                       .arg(QSysInfo::machineHostName().left(40))
                       .arg(QCoreApplication::applicationPid())
                       .arg(QRandomGenerator::system()->generate() & 0xffff, 4, 16, QChar(u'0'));
    o.tlsCert = parser.value("tls-cert");
    o.tlsKey = parser.value("tls-key");
    if (o.tlsCert.isEmpty() != o.tlsKey.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return std::nullopt;
    }
    if (parser.isSet("ring-timeout")) {
        bool ok = false;
        o.ringTimeoutSeconds = parser.value("ring-timeout").toInt(&ok);
        if (!ok || o.ringTimeoutSeconds < 1 || o.ringTimeoutSeconds > 3600) {
            *error = QStringLiteral("--ring-timeout must be 1-3600 seconds");
            return std::nullopt;
        }
    }
    o.tokenPublicKeyFile = parser.value("token-public-key");
    o.publicCallingUrl = parser.value("public-calling-url");
    o.publicPushUrl = parser.value("public-push-url");
    for (const QString &text : parser.values("push-allow")) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") ||
            url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() ||
            url.hasFragment() || (!url.path().isEmpty() && url.path() != u"/")) {
            *error = QStringLiteral("--push-allow '%1': expected an origin like "
                                    "https://push.example[:port]")
                         .arg(text);
            return std::nullopt;
        }
        o.pushAllow << url.adjusted(QUrl::RemovePath).toString(QUrl::FullyEncoded);
    }
    o.demo = parser.isSet("demo");
    for (const QString &kv : parser.values("set")) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) {
            *error = QStringLiteral("--set '%1': expected key=value").arg(kv);
            return std::nullopt;
        }
        o.settings.insert(kv.left(eq), kv.mid(eq + 1));
    }
    return o;
}

bool ServerOptions::validBusUrl(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid() && url.scheme() == u"redis" && !url.host().isEmpty() &&
        url.userInfo().isEmpty() && !url.hasQuery() && !url.hasFragment() &&
        (url.path().isEmpty() || url.path() == u"/"))
        return true;
    if (error)
        *error = QStringLiteral("--bus '%1': expected redis://host[:port] (no password, database "
                                "or path)")
                     .arg(text);
    return false;
}

std::chrono::milliseconds ServerOptions::milliseconds(const QString &key,
                                                      std::chrono::milliseconds fallback) const
{
    bool ok = false;
    const double seconds = settings.value(key).toDouble(&ok);
    // "inf", "nan" or a figure past what a qint64 of milliseconds holds: the
    // fallback, not an undefined conversion (that gave 1 ms on x86).
    if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 1e12)
        return fallback;
    return std::chrono::milliseconds(qint64(seconds * 1000));
}

int ServerOptions::count(const QString &key, int fallback, int low, int high) const
{
    bool ok = false;
    const int value = settings.value(key).toInt(&ok);
    return ok && value >= low && value <= high ? value : fallback;
}

} // namespace softphone::server
