// The push status the user reads in Settings comes from the tray agent: the
// real softphone-tray executable signed in against a real softphone-server,
// and this process's SoftphoneApp listening on its real instance socket (the
// same wiring as the softphone executable). Both start orders: the softphone
// first (the agent tells it on every change) and the agent first (the agent
// notices the softphone's socket appear and tells it then).
#include "AgentSoftphone.h"
#include "GuiTestSupport.h"
#include "softphone/InstanceChannel.h"
#include "softphone/SoftphoneApp.h"
#include "support/ServerProcess.h"
#include "support/TrayTestSupport.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <memory>

using namespace softphone;

namespace {

using Tray = test::AgentTray;
using Softphone = test::AgentSoftphone;

} // namespace

class TestGuiTray : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_runtime;
    QString socketPath() const { return test::instanceSocket(m_runtime); }
    static QString pushHost(const test::ServerProcess &server)
    {
        const QUrl push = server.pushHttpUrl();
        return push.host() + QLatin1Char(':') + QString::number(push.port());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("SOFTPHONE_TRAY_BIN")).isExecutable(),
                 "SOFTPHONE_TRAY_BIN not set");
        QVERIFY(test::prepareRuntimeDir(m_runtime));
    }

    // Softphone first: "Not set up" until the agent runs; then what the agent
    // knows - registered at the push service's host; off once signed out.
    void softphoneFirstShowsRegisteredThenOff()
    {
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("password-bob")));

        Softphone softphone(socketPath());
        QVERIFY2(softphone.start(), qPrintable(softphone.app.lastError()));
        QVERIFY2(softphone.pushText().startsWith(QStringLiteral("Not set up.")),
                 qPrintable(softphone.pushText()));

        Tray tray(m_runtime.path());
        tray.signIn(server, QStringLiteral("bob"));
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));
        const QString registered = QStringLiteral("Registered at %1.").arg(pushHost(server));
        QTRY_VERIFY2_WITH_TIMEOUT(softphone.pushText().startsWith(registered),
                                  qPrintable(softphone.pushText()), 15000);
        QVERIFY(softphone.pushText().contains(QStringLiteral("No push received yet.")));
        // Only the host is told: the endpoint's token is its credential.
        QVERIFY(!softphone.pushText().contains(QStringLiteral("/wpush/")));
        QCOMPARE(softphone.app.mainWindow()
                     ->findChild<QLabel *>(QStringLiteral("pushStatusLine"))
                     ->text(),
                 QStringLiteral("Push: ready"));
        QString shot = test::screenshot(softphone.app.mainWindow(), QStringLiteral("tray-status"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));
        // Signed in as well, as a user with the agent running sees Settings.
        QVERIFY(test::signInThroughWindow(softphone.app, server.appServerUrl(),
                                          QStringLiteral("bob"), QStringLiteral("password-bob")));
        softphone.app.mainWindow()->showTab(ui::MainWindow::Tab::Settings);
        QTRY_VERIFY2_WITH_TIMEOUT(softphone.pushText().startsWith(registered),
                                  qPrintable(softphone.pushText()), 15000);
        shot = test::screenshot(softphone.app.mainWindow(), QStringLiteral("settings-push"));
        QVERIFY2(shot.isEmpty(), qPrintable(shot));

        QCOMPARE(tray.signOut(), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(
            softphone.pushText().startsWith(QStringLiteral("Off: Signed out")),
            qPrintable(softphone.pushText()), 15000);
    }

    // Agent first: a softphone started later is told at once, with no push
    // and no change of state in between.
    void agentFirstTellsALaterSoftphone()
    {
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("password-bob")));
        Tray tray(m_runtime.path());
        tray.signIn(server, QStringLiteral("bob"));
        QVERIFY2(tray.waitForState(QStringLiteral("online"), 60000),
                 qPrintable(QJsonDocument(tray.lastState).toJson()));

        Softphone softphone(socketPath());
        QVERIFY2(softphone.start(), qPrintable(softphone.app.lastError()));
        const QString registered = QStringLiteral("Registered at %1.").arg(pushHost(server));
        QTRY_VERIFY2_WITH_TIMEOUT(softphone.pushText().startsWith(registered),
                                  qPrintable(softphone.pushText()), 15000);

        // A report line that breaks the documented rules is refused; the state stays.
        QLocalSocket bad;
        bad.connectToServer(socketPath());
        QVERIFY(bad.waitForConnected(5000));
        bad.write("{\"v\":1,\"type\":\"push_status\",\"state\":\"registered\"}\n");
        QTRY_VERIFY_WITH_TIMEOUT(bad.canReadLine(), 5000);
        const QJsonObject answer = QJsonDocument::fromJson(bad.readLine()).object();
        QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
        QVERIFY(softphone.pushText().startsWith(registered));
        QCOMPARE(tray.signOut(), 0);
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiTray)

#include "tst_gui_tray.moc"
