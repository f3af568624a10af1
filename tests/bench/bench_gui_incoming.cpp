// Incoming call signal -> incoming window on screen (its first paint), in the
// real app object against a real softphone-server, the caller a real client.
// Prints p50/p95; never fails on a figure. Usage: bench_gui_incoming [calls]
#include "client/CallVoice.h"
#include "softphone/CallCoordinator.h"
#include "softphone/SoftphoneApp.h"
#include "support/Processes.h"
#include "support/ServerProcess.h"
#include "ui/IncomingCallWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace softphone;

namespace {

class FirstPaint : public QObject
{
public:
    QElapsedTimer *timer = nullptr;
    double ms = -1;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && ms < 0)
            ms = timer->nsecsElapsed() / 1e6;
        return false;
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
    else if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toUtf8());
    softphone::test::useThisBuildsBinaries();
    QApplication qapp(argc, argv);
    QApplication::setApplicationName(QStringLiteral("softphone"));
    const int calls = argc > 1 ? std::max(1, atoi(argv[1])) : 30;

    // bob places every call, faster than the per-user call rate (5/s) allows.
    test::ServerProcess server(
        {QStringLiteral("--set"), QStringLiteral("calling.user_calls_per_second=1000"),
         QStringLiteral("--set"), QStringLiteral("calling.user_calls_burst=1000")});
    if (!server.start() ||
        !server.addUser(QStringLiteral("alice"), QStringLiteral("alice-password")) ||
        !server.addUser(QStringLiteral("bob"), QStringLiteral("bob-password"))) {
        std::printf("no server: %s\n", qPrintable(server.lastError()));
        return 0;
    }
    app::AppOptions options;
    options.server = server.appServerUrl().toString();
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("alice-password");
    app::SoftphoneApp app(options);
    QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
    if (!app.start() || !signedIn.wait(20000) ||
        !QTest::qWaitFor(
            [&] {
                return app.client()->connectionState() ==
                       client::SoftphoneClient::ConnectionState::Connected;
            },
            20000)) {
        std::printf("alice did not sign in\n");
        return 0;
    }
    client::ClientConfig config;
    config.serviceUrl = server.callingUrl();
    config.userId = QStringLiteral("bob");
    config.deviceId = QStringLiteral("bench");
    client::SoftphoneClient bob(config);
    bob.setCallMedia(client::CallVoice::create);
    QSignalSpy bobStarted(&bob, &client::SoftphoneClient::started);
    bob.setAccessToken(server.login(QStringLiteral("bob"), QStringLiteral("bob-password")));
    bob.start();
    if (!bobStarted.wait(20000)) {
        std::printf("bob did not start\n");
        return 0;
    }

    // Our slot runs first: re-attach the coordinator after it.
    QElapsedTimer timer;
    FirstPaint paint;
    paint.timer = &timer;
    app.calls()->setClient(nullptr);
    QObject::connect(app.client(), &client::SoftphoneClient::incomingCall, &app, [&] {
        timer.start();
        paint.ms = -1;
    });
    app.calls()->setClient(app.client());
    QObject::connect(app.calls(), &app::CallCoordinator::incomingWindowShown, &app,
                     [&](ui::IncomingCallWindow *w) { w->installEventFilter(&paint); });

    QList<double> figures;
    for (int i = 0; i < calls; ++i) {
        paint.ms = -1;
        client::Call *call = bob.callUser(QStringLiteral("alice"));
        if (!QTest::qWaitFor([&] { return paint.ms >= 0; }, 10000))
            continue;
        figures.append(paint.ms);
        ui::IncomingCallWindow *w = app.calls()->incomingWindow();
        if (w)
            w->setLingerAfterEnd(std::chrono::milliseconds(0));
        call->hangup();
        if (!QTest::qWaitFor([&] { return !app.calls()->incomingWindow(); }, 10000))
            std::printf("call %d: the incoming window did not close\n", i);
    }
    std::sort(figures.begin(), figures.end());
    auto pct = [&](double p) {
        return figures.isEmpty() ? 0.0
                                 : figures[std::min<qsizetype>(figures.size() - 1,
                                                               qsizetype(p * figures.size()))];
    };
    std::printf(
        "incoming-call signal -> incoming window painted  calls %lld/%d  p50 %.1f ms  p95 %.1f ms"
        "  max %.1f ms\n",
        (long long)figures.size(), calls, pct(0.5), pct(0.95),
        figures.isEmpty() ? 0.0 : figures.last());
    return 0;
}
