#pragma once
// Everything `softphone-server serve` and `user ...` are told on the command line.
// One struct for all roles, so a role reads its settings without its own parser.

#include <QCommandLineParser>
#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <chrono>
#include <limits>
#include <optional>

namespace softphone::server {

struct ServerOptions
{
    QStringList roles; // empty list = no role (only when --roles "" is given explicitly)
    QHostAddress wsHost = QHostAddress::LocalHost;
    quint16 wsPort = 0;
    QHostAddress httpHost = QHostAddress::LocalHost;
    quint16 httpPort = 0;
    QString dataDir;
    // --database: a postgresql:// URL for the stores; empty = SQLite files in dataDir.
    QString database;
    // --bus: a redis:// URL shared by the nodes of a cluster; empty = one node alone.
    QString bus;
    // --node-id: this node's name on the bus (default: host name, process id and a
    // random suffix, so a restarted node is a new one).
    QString nodeId;
    QString tlsCert; // PEM certificate (chain) file; both or neither
    QString tlsKey;  // PEM private key file
    int ringTimeoutSeconds = 45;

    // calling: verify access tokens with this public key (separate-process deployment)
    QString tokenPublicKeyFile;
    // appserver: URLs handed to clients in the login reply when the calling / push
    // services run elsewhere; empty = this process's own listener.
    QString publicCallingUrl;
    QString publicPushUrl;
    // appserver: push-service origins (scheme://host[:port]) it may send Web Pushes to,
    // besides its own push role's (--push-allow, repeatable).
    QStringList pushAllow;
    // appserver: create alice, bob and carol with random passwords.
    bool demo = false;
    // Free-form `--set key=value` settings, so a role can take a new option before
    // it earns its own flag.
    QHash<QString, QString> settings;

    // A --set value in seconds (fractions allowed) or a count within [low, high]
    // (positive unless said otherwise); fallback when absent, not a number or
    // out of range.
    std::chrono::milliseconds milliseconds(const QString &key,
                                           std::chrono::milliseconds fallback) const;
    int count(const QString &key, int fallback, int low = 1,
              int high = std::numeric_limits<int>::max()) const;

    bool tlsEnabled() const { return !tlsCert.isEmpty(); }
    bool hasRole(const QString &name) const { return roles.contains(name); }

    // Declares every option on the parser (positional arguments are main's business).
    static void addOptions(QCommandLineParser &parser);
    // Reads the parsed options; defaultRoles applies when --roles is absent.
    static std::optional<ServerOptions> fromParser(const QCommandLineParser &parser,
                                                   const QStringList &defaultRoles, QString *error);
    // "HOST:PORT", "[v6]:PORT" or ":PORT"; false with a message if malformed.
    static bool parseHostPort(const QString &text, QHostAddress *host, quint16 *port,
                              QString *error);
    static QString defaultDataDir();
    // redis://host[:port], the only --bus form; false with a message otherwise.
    static bool validBusUrl(const QString &text, QString *error = nullptr);
};

} // namespace softphone::server
