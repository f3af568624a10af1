// softphone-server: the calling service, application server and push service roles.
//   softphone-server [serve] [--roles ...] [--listen HOST:PORT] ...   run the service
//   softphone-server user add NAME | list | remove NAME              administer accounts
//   softphone-server keys rotate-push-data-key                        new push-data key
//   softphone-server migrate-from-sqlite DIR --database postgresql://... SQLite -> PostgreSQL

#include "RoleFactory.h"
#include "ServerMain.h"
#include "SqliteMigration.h"
#include "softphone-server/appserver/UserCommand.h"
#include "softphone-server/common/EpollEventDispatcher.h"
#include "softphone-server/common/KeyStore.h"
#include "softphone-server/common/ServerOptions.h"

#include "common/UnixSignalWatcher.h"
#include "common/Version.h"
#include "crypto/Base64Url.h"
#include "crypto/SealedPushData.h"
#include "softphone-server/common/ServerLogging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

using namespace softphone::server;

namespace {

// The main thread runs on epoll (see EpollEventDispatcher.h) unless
// SOFTPHONE_SERVER_EVENT_DISPATCHER=qt asks for Qt's default, for comparison.
void installEventDispatcher()
{
    if (qEnvironmentVariable("SOFTPHONE_SERVER_EVENT_DISPATCHER") == u"qt")
        return;
    auto *dispatcher = new EpollEventDispatcher;
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher);
    else
        delete dispatcher;
}

// keys rotate-push-data-key: devices seal their push data to the new key once
// the server runs with it; data sealed to the previous key still opens.
int rotatePushDataKeyCommand(const QStringList &args, const ServerOptions &options,
                             QTextStream &err)
{
    if (args != QStringList{QStringLiteral("rotate-push-data-key")}) {
        err << "softphone-server: usage: keys rotate-push-data-key [--data-dir DIR]\n";
        return 2;
    }
    softphone::crypto::EcKey key;
    QString error;
    if (!KeyStore::rotatePushDataKey(options.dataDir, &key, &error)) {
        err << "softphone-server: " << error << "\n";
        return 1;
    }
    QTextStream(stdout) << "push-data key rotated; new key id "
                        << softphone::toBase64Url(softphone::crypto::sealedPushDataKeyId(key))
                        << " (restart the server to use it)\n";
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    installEventDispatcher();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("softphone-server"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(softphone::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The softphone's calling service, application server and push service."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("serve (default) | user add NAME | user list | "
                                                "user remove NAME | keys rotate-push-data-key | "
                                                "migrate-from-sqlite DIR"));
    ServerOptions::addOptions(parser);
    parser.process(app);

    QTextStream err(stderr);
    QString error;
    const auto options = ServerOptions::fromParser(parser, availableRoles(), &error);
    if (!options) {
        err << "softphone-server: " << error << "\n";
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0, QStringLiteral("serve"));
    if (command == u"user") {
        QTextStream in(stdin);
        QTextStream out(stdout);
        return appserver::runUserCommand(positional.mid(1), *options, in, out, err);
    }
    if (command == u"keys")
        return rotatePushDataKeyCommand(positional.mid(1), *options, err);
    if (command == u"migrate-from-sqlite") {
        if (positional.size() != 2) {
            err << "softphone-server: usage: migrate-from-sqlite DIR --database "
                   "postgresql://...\n";
            return 2;
        }
        QTextStream out(stdout);
        return migrateFromSqlite(positional.at(1), *options, out, err);
    }
    if (command != u"serve" || positional.size() > 1) {
        err << "softphone-server: unknown command '" << positional.join(u' ')
            << "' (serve, user, keys, migrate-from-sqlite)\n";
        return 2;
    }

    // SIGTERM/SIGINT quit the event loop, so roles and databases close normally.
    softphone::UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &softphone::UnixSignalWatcher::received, &app, [] {
        qCInfo(lcServerApp) << "shutting down";
        QCoreApplication::quit();
    });
    ServerMain server(*options);
    if (!server.start(&error)) {
        err << "softphone-server: " << error << "\n";
        return 1;
    }
    const QByteArray line = QJsonDocument(server.startLine()).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    return app.exec();
}
