// softphone-tray: the softphone's background agent, started at login (the
// autostart entry). See TrayOptions.h for the command line and TrayAgent.h for
// what it does. One per user: a second start exits at once.
#include "TrayAgent.h"
#include "TrayControl.h"
#include "TrayLogging.h"
#include "TrayOptions.h"
#include "common/Translations.h"
#include "common/Version.h"
#include "ipc/LineProtocol.h"

#include <QApplication>
#include <QFileInfo>
#include <QLockFile>
#include <cstdio>

using namespace softphone::tray;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    softphone::nameDesktopApplication();
    QApplication::setDesktopFileName(QString::fromLatin1(softphone::kDesktopAppName));
    QApplication::setQuitOnLastWindowClosed(false);
    // Menu, tooltip and notifications in the user's language (softphone-tray_de.ts).
    softphone::installTranslations(&app, QStringLiteral("softphone-tray"));

    QString error;
    auto options = TrayOptions::parse(QApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return error.startsWith(QLatin1String("Usage")) ? 0 : 2;
    }

    // The lock and both sockets live in the one runtime folder; one that is not
    // ours or is open to others is refused, and then we open nothing there.
    namespace ipc = softphone::ipc;
    const QString controlPath = ipc::socketPath(ipc::kTrayControlProtocol, &error);
    const QString instancePath =
        controlPath.isEmpty() ? QString() : ipc::socketPath(ipc::kInstanceProtocol, &error);
    if (instancePath.isEmpty()) {
        std::fprintf(stderr, "softphone-tray: %s\n", qPrintable(error));
        return 1;
    }

    if (options->signOut) {
        if (!TrayControl::send(controlPath, QStringLiteral("sign_out"), &error)) {
            std::fprintf(stderr, "softphone-tray: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }

    // Next to the softphone's instance socket: per user, per login session's runtime dir.
    QLockFile lock(QFileInfo(controlPath).absolutePath() + QStringLiteral("/tray.lock"));
    lock.setStaleLockTime(0); // a dead holder's lock is stale (pid check), whatever its age
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host, appName;
        lock.getLockInfo(&pid, &host, &appName);
        std::fprintf(stderr, "softphone-tray: already running (pid %lld)\n",
                     static_cast<long long>(pid));
        return 0;
    }

    // Before any window: read one line, the password, never echoed or logged.
    if (!options->readPassword(&error)) {
        std::fprintf(stderr, "softphone-tray: %s\n", qPrintable(error));
        return 2;
    }

    TrayAgent agent(*options, instancePath);
    QObject::connect(&agent, &TrayAgent::quitRequested, &app, &QApplication::quit);
    // Only the lock holder listens, so a socket file found there is stale.
    TrayControl control(controlPath);
    if (!control.listen(&error))
        qCWarning(lcTray) << "no control socket (--sign-out will not reach us):" << error;
    QObject::connect(&control, &TrayControl::signOutRequested, &agent,
                     [&agent](std::function<void()> done) { agent.signOut(std::move(done)); });
    agent.start();
    return QApplication::exec();
}
