// Issue #11 item 16: a tel: or softphone: link from outside (here: a second
// launch handing "tel:49-30-123" to the running softphone over its real
// instance socket, as the .desktop handler does) never dials by itself. A
// dialog names the number; no call reaches the callee until Enter; Esc places
// no call; with "Ask before calling from a link" off in Settings the call is
// placed at once. Real window under Xvfb, real server, a real callee.
#include "GuiTestSupport.h"
#include "softphone/CallCoordinator.h"
#include "softphone/InstanceChannel.h"
#include "softphone/SoftphoneApp.h"
#include "storage/Settings.h"
#include "support/ServerProcess.h"
#include "ui/LinkCallDialog.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace softphone;
using client::Call;

namespace {
const QString kNumber = QStringLiteral("4930123");     // the callee's user id
const QString kLink = QStringLiteral("tel:49-30-123"); // as a web page would write it
constexpr int kQuietMs = 2000;                         // how long "no call" is watched
} // namespace

class TestGuiLinks : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_server;
    QTemporaryDir m_runtime;
    std::unique_ptr<app::InstanceChannel> m_channel;
    std::unique_ptr<app::SoftphoneApp> m_app;
    std::unique_ptr<client::SoftphoneClient> m_callee;

    QString socketPath() const { return m_runtime.filePath(QStringLiteral("instance")); }

    // A second launch with the link: forwarded to the running softphone.
    bool clickLink(const QString &link)
    {
        app::InstanceChannel second(socketPath());
        QSignalSpy forwarded(&second, &app::InstanceChannel::forwarded);
        second.claimOrForward({link});
        return !forwarded.isEmpty() || forwarded.wait(10000);
    }
    static ui::LinkCallDialog *openDialog()
    {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<ui::LinkCallDialog *>(w); d && d->isVisible())
                return d;
        return nullptr;
    }
    // The callee's incoming call, hung up so the next case starts idle.
    bool calleeRangAndHungUp(QSignalSpy &incoming, int timeoutMs)
    {
        if (incoming.isEmpty() && !incoming.wait(timeoutMs))
            return false;
        incoming.takeFirst().at(0).value<Call *>()->hangup();
        return QTest::qWaitFor([this] { return !m_app->calls()->callWindow(); }, 15000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-1")));
        QVERIFY(m_server.addUser(kNumber, QStringLiteral("number-pw-1")));

        m_channel = std::make_unique<app::InstanceChannel>(socketPath());
        QSignalSpy primary(m_channel.get(), &app::InstanceChannel::becamePrimary);
        m_channel->claimOrForward({});
        // No socket there yet: it may become the first instance right away.
        QVERIFY(!primary.isEmpty() || primary.wait(10000));
        const QString started = test::startSignedIn(
            m_server, QStringLiteral("alice"), &m_app,
            [this](app::SoftphoneApp &app) { app.attachInstanceChannel(m_channel.get()); });
        QVERIFY2(started.isEmpty(), qPrintable(started));
        m_callee = test::startedClient(m_server.callingUrl(), kNumber, QStringLiteral("desk"),
                                       m_server.login(kNumber, QStringLiteral("number-pw-1")));
        QVERIFY(m_callee);
    }

    void linkAsksAndEnterCalls()
    {
        QSignalSpy incoming(m_callee.get(), &client::SoftphoneClient::incomingCall);
        QVERIFY(clickLink(kLink));
        QTRY_VERIFY_WITH_TIMEOUT(openDialog(), 10000);
        ui::LinkCallDialog *dialog = openDialog();
        QVERIFY2(dialog->text().contains(kNumber), qPrintable(dialog->text()));
        QVERIFY(test::screenshot(dialog, QStringLiteral("link-call"), QSize(200, 80)).isEmpty());

        // Nothing is dialled while the question stands.
        QVERIFY(!incoming.wait(kQuietMs));
        QVERIFY(!m_app->calls()->callWindow());

        QTest::keyClick(dialog, Qt::Key_Return);
        QVERIFY2(calleeRangAndHungUp(incoming, 15000), "Enter placed no call");
        QVERIFY(!openDialog());
    }

    void escapeCancels()
    {
        QSignalSpy incoming(m_callee.get(), &client::SoftphoneClient::incomingCall);
        QVERIFY(clickLink(QStringLiteral("softphone:") + kNumber));
        QTRY_VERIFY_WITH_TIMEOUT(openDialog(), 10000);
        QVERIFY(openDialog()->text().contains(kNumber));
        QTest::keyClick(openDialog(), Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!openDialog(), 5000);
        QVERIFY2(!incoming.wait(kQuietMs), "Esc placed a call");
        QVERIFY(!m_app->calls()->callWindow());
    }

    void settingOffCallsAtOnce()
    {
        // The user turns the question off in Settings.
        auto *tabs = m_app->mainWindow()->findChild<QTabWidget *>(QStringLiteral("mainTabs"));
        auto *check =
            m_app->mainWindow()->findChild<QCheckBox *>(QStringLiteral("confirmLinksCheck"));
        QVERIFY(tabs && check);
        QVERIFY(check->isChecked()); // on by default
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->widget(i)->isAncestorOf(check))
                tabs->setCurrentIndex(i);
        check->setFocus();
        QTest::keyClick(check, Qt::Key_Space);
        QVERIFY(!check->isChecked());
        QCOMPARE(storage::Settings().flag(storage::Settings::Key::ConfirmLinkCalls), false);

        QSignalSpy incoming(m_callee.get(), &client::SoftphoneClient::incomingCall);
        QVERIFY(clickLink(kLink));
        QVERIFY2(calleeRangAndHungUp(incoming, 15000), "the call was not placed at once");
        QVERIFY(!openDialog());
    }

    void cleanupTestCase()
    {
        m_callee.reset();
        m_app.reset();
        m_channel.reset();
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiLinks)

#include "tst_gui_links.moc"
