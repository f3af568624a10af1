// softphone-tray: the softphone's background agent, started at login (the
// autostart entry). See TrayOptions.h for the command line and TrayAgent.h for
// what it does. One per user: a second start exits at once.
// A QCoreApplication with its icon as a StatusNotifierItem; only on an X11
// desktop without a StatusNotifierWatcher the XEmbed plugin's QApplication
// (TrayFaces.h): this executable links no Qt Gui.
#include "StatusNotifierItem.h"
#include "TrayAgent.h"
#include "TrayControl.h"
#include "TrayFaces.h"
#include "TrayLogging.h"
#include "TrayOptions.h"
#include "common/Translations.h"
#include "common/Version.h"
#include "ipc/LineProtocol.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLockFile>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace softphone::tray;

int main(int argc, char *argv[])
{
    // Before the application object: which face, and so which application.
    // --help and --sign-out show nothing.
    bool showsNothing = false;
    for (int i = 1; i < argc; ++i)
        for (const char *option : {"--help", "-h", "--sign-out"})
            showsNothing = showsNothing || std::strcmp(argv[i], option) == 0;
    std::optional<XEmbedPlugin> xembed;
    QString pluginError;
    if (!showsNothing && chooseFace() == FaceKind::XEmbed)
        xembed = loadXEmbedPlugin(&pluginError);
    const std::unique_ptr<QCoreApplication> app(xembed ? xembed->createApplication(argc, argv)
                                                       : new QCoreApplication(argc, argv));
    softphone::nameDesktopApplication();
    // Menu, tooltip and notifications in the user's language (softphone-tray_de.ts).
    softphone::installTranslations(app.get(), QStringLiteral("softphone-tray"));
    if (!pluginError.isEmpty())
        qCWarning(lcTray) << "no XEmbed tray (softphone-tray-xembed.so):" << pluginError;

    QString error;
    auto options = TrayOptions::parse(QCoreApplication::arguments(), &error);
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

    std::unique_ptr<TrayFace> face;
    if (xembed) {
        face.reset(xembed->createFace());
        qCInfo(lcTray) << "tray icon: XEmbed (no status notifier watcher on the session bus)";
    } else {
        // The pictures next to the sockets: the user's alone, gone at logout.
        face = std::make_unique<StatusNotifierItem>(QFileInfo(controlPath).absolutePath() +
                                                    QStringLiteral("/icons"));
    }
    TrayAgent agent(*options, instancePath, std::move(face));
    QObject::connect(&agent, &TrayAgent::quitRequested, app.get(), &QCoreApplication::quit);
    // Only the lock holder listens, so a socket file found there is stale.
    TrayControl control(controlPath);
    if (!control.listen(&error))
        qCWarning(lcTray) << "no control socket (--sign-out will not reach us):" << error;
    QObject::connect(&control, &TrayControl::signOutRequested, &agent,
                     [&agent](std::function<void()> done) { agent.signOut(std::move(done)); });
    agent.start();
    return QCoreApplication::exec();
}
