// softphone: the desktop softphone's GUI executable. See AppOptions.h for the
// command line and InstanceChannel.h for the single-instance local protocol.
#include "AppLogging.h"
#include "AppOptions.h"
#include "AppTranslations.h"
#include "InstanceChannel.h"
#include "SoftphoneApp.h"
#include "common/Version.h"
#include "ipc/LineProtocol.h"

#include <QApplication>
#include <QIcon>
#include <QTextStream>
#include <cstdio>
#include <memory>

using namespace softphone::app;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    softphone::nameDesktopApplication();
    QApplication::setDesktopFileName(QString::fromLatin1(softphone::kDesktopAppName));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/softphone.svg")));
    // Closing the main window is a decision (keep running, a call is on), not an automatic quit.
    QApplication::setQuitOnLastWindowClosed(false);

    softphone::app::installTranslations(&app);

    QString error;
    auto options = AppOptions::parse(QApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return error.startsWith(QLatin1String("Usage")) ? 0 : 2;
    }
    // Before any window: read one line, the password, never echoed or logged.
    if (!options->readPassword(&error)) {
        std::fprintf(stderr, "softphone: %s\n", qPrintable(error));
        return 2;
    }

    // Forwarded to a running softphone: everything but the password.
    QStringList forwardArgs;
    if (options->minimized)
        forwardArgs << QStringLiteral("--minimized");
    if (!options->answerCall.isEmpty())
        forwardArgs << QStringLiteral("--answer") << options->answerCall;
    if (!options->declineCall.isEmpty())
        forwardArgs << QStringLiteral("--decline") << options->declineCall;
    if (!options->dialTarget.isEmpty())
        forwardArgs << QStringLiteral("softphone:") + options->dialTarget;

    // A runtime folder that is not ours or is open to others is refused: no
    // socket there, no activation arguments or pushes handed to a stranger.
    const QString socketPath =
        softphone::ipc::socketPath(softphone::ipc::kInstanceProtocol, &error);
    if (socketPath.isEmpty()) {
        std::fprintf(stderr, "softphone: %s\n", qPrintable(error));
        return 1;
    }
    InstanceChannel channel(socketPath);
    std::unique_ptr<SoftphoneApp> softphone;
    QObject::connect(&channel, &InstanceChannel::forwarded, &app, [] {
        qCInfo(lcApp) << "handed over to the running softphone";
        QApplication::exit(0);
    });
    QObject::connect(&channel, &InstanceChannel::failed, &app, [](const QString &reason) {
        std::fprintf(stderr, "softphone: %s\n", qPrintable(reason));
        QApplication::exit(1);
    });
    QObject::connect(&channel, &InstanceChannel::becamePrimary, &app, [&] {
        softphone = std::make_unique<SoftphoneApp>(*options);
        QObject::connect(softphone.get(), &SoftphoneApp::quitRequested, &app, &QApplication::quit);
        softphone->attachInstanceChannel(&channel);
        if (!softphone->start()) {
            std::fprintf(stderr, "softphone: %s\n", qPrintable(softphone->lastError()));
            QApplication::exit(1);
        }
    });
    channel.claimOrForward(forwardArgs);
    const int code = QApplication::exec();
    softphone.reset();
    return code;
}
