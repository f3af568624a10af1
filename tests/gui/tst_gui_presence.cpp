// Presence on the real window against a real softphone-server: the dot on a
// contact's avatar (and its accessible text) in the contacts and the dialer's
// completion follows bob signing in, setting do not disturb and leaving; the
// do not disturb the user switches (in Settings or, through the shared file, in
// the tray's menu) is what the user's contacts see. The call windows and the
// history rows show the same dot.
#include "GuiTestSupport.h"
#include "softphone/CallCoordinator.h"
#include "softphone/SoftphoneApp.h"
#include "storage/ContactBook.h"
#include "storage/Settings.h"
#include "support/ServerProcess.h"
#include "ui/Avatar.h"
#include "ui/CallWindow.h"
#include "ui/DialerPage.h"
#include "ui/HistoryPage.h"
#include "ui/IncomingCallWindow.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QCompleter>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace softphone;
using protocol::PresenceStatus;

namespace {

// The colour of the dot's ring at 2x, where every status paints its colour.
QColor dotColour(const QIcon &icon)
{
    const QImage image = icon.pixmap(QSize(24, 24), 2.0).toImage();
    return image.pixelColor(38, 33);
}

// The same point of a call window's face, whatever its size (the dot's ring).
QColor labelDot(const QLabel *face)
{
    const QImage image = face->pixmap().toImage();
    return image.pixelColor(int(image.width() * 38 / 48), int(image.height() * 33 / 48));
}

} // namespace

class TestGuiPresence : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_server;
    std::unique_ptr<app::SoftphoneApp> m_app;
    ui::MainWindow *window() const { return m_app->mainWindow(); }

    QListWidgetItem *bobContact() const
    {
        auto *list = window()->findChild<QListWidget *>(QStringLiteral("contactList"));
        for (int i = 0; list && i < list->count(); ++i)
            if (list->item(i)->data(Qt::UserRole).toString() == QStringLiteral("bob"))
                return list->item(i);
        return nullptr;
    }
    QString contactText() const
    {
        QListWidgetItem *item = bobContact();
        return item ? item->data(Qt::AccessibleDescriptionRole).toString() : QString();
    }
    QColor contactDot() const
    {
        QListWidgetItem *item = bobContact();
        return item ? dotColour(item->icon()) : QColor();
    }
    // What the dialer's completion shows for bob.
    QString completionText() const
    {
        QAbstractItemModel *model = window()->dialerPage()->completer()->model();
        const QModelIndexList found = model->match(model->index(0, 0), Qt::DisplayRole,
                                                   QStringLiteral("bob"), 1, Qt::MatchExactly);
        return found.isEmpty() ? QStringLiteral("<no bob>")
                               : found.first().data(Qt::AccessibleDescriptionRole).toString();
    }
    bool shows(PresenceStatus status) const
    {
        const QString text = ui::avatar::presenceText(status);
        return contactText() == text && completionText() == text &&
               contactDot() == ui::avatar::presenceColour(status);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-1")));
        QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
        const QString started = test::startSignedIn(m_server, QStringLiteral("alice"), &m_app);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        // The user adds bob to the contacts: from then on the device watches him.
        QVERIFY(m_app->contacts()->save(QStringLiteral("bob"), QStringLiteral("Bob Smith")));
    }

    void contactDotFollowsBob()
    {
        window()->showTab(ui::MainWindow::Tab::Contacts);
        QTRY_VERIFY_WITH_TIMEOUT(shows(PresenceStatus::Offline), 10000);
        QVERIFY(test::screenshot(window(), QStringLiteral("contacts-offline")).isEmpty());

        auto bob = test::startedClient(
            m_server.callingUrl(), QStringLiteral("bob"), QStringLiteral("bob-desk"),
            m_server.login(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
        QVERIFY(bob);
        QTRY_VERIFY_WITH_TIMEOUT(shows(PresenceStatus::Online), 10000);
        QCOMPARE(bobContact()->toolTip(), QStringLiteral("Online"));
        QVERIFY(test::screenshot(window(), QStringLiteral("contacts-online")).isEmpty());

        bob->presence()->setDoNotDisturb(true);
        QTRY_VERIFY_WITH_TIMEOUT(shows(PresenceStatus::DoNotDisturb), 10000);
        QVERIFY(test::screenshot(window(), QStringLiteral("contacts-dnd")).isEmpty());

        bob->terminate();
        QTRY_VERIFY_WITH_TIMEOUT(shows(PresenceStatus::Offline), 10000);
    }

    void ownDoNotDisturbIsWhatContactsSee()
    {
        auto bob = test::startedClient(
            m_server.callingUrl(), QStringLiteral("bob"), QStringLiteral("bob-desk"),
            m_server.login(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
        QVERIFY(bob);
        bob->presence()->subscribe({QStringLiteral("alice")});
        QTRY_COMPARE_WITH_TIMEOUT(bob->presence()->status(QStringLiteral("alice")),
                                  PresenceStatus::Online, 10000);

        // The tray's menu writes the shared settings file from its own process.
        storage::Settings tray(m_app->settings()->fileName());
        tray.setValue(storage::Settings::Key::DoNotDisturb, true);
        tray.sync();
        QTRY_COMPARE_WITH_TIMEOUT(bob->presence()->status(QStringLiteral("alice")),
                                  PresenceStatus::DoNotDisturb, 10000);

        // Switched off again in Settings.
        window()->showTab(ui::MainWindow::Tab::Settings);
        auto *dnd = window()->findChild<QCheckBox *>(QStringLiteral("dndCheck"));
        QVERIFY(dnd && dnd->isChecked());
        dnd->setFocus();
        QTest::keyClick(dnd, Qt::Key_Space);
        QVERIFY(!dnd->isChecked());
        QTRY_COMPARE_WITH_TIMEOUT(bob->presence()->status(QStringLiteral("alice")),
                                  PresenceStatus::Online, 10000);
    }

    void historyAndCallWindowsShowPresence()
    {
        // bob calls: the incoming window, the call window and then the
        // history row show his presence the way the contacts do.
        auto bob = test::startedClient(
            m_server.callingUrl(), QStringLiteral("bob"), QStringLiteral("bob-desk"),
            m_server.login(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
        QVERIFY(bob);
        QTRY_VERIFY_WITH_TIMEOUT(shows(PresenceStatus::Online), 10000);
        QSignalSpy shown(m_app->calls(), &app::CallCoordinator::incomingWindowShown);
        QSignalSpy opened(m_app->calls(), &app::CallCoordinator::callWindowOpened);
        QPointer<client::Call> call = bob->callUser(QStringLiteral("alice"));
        QVERIFY(shown.wait(15000));
        auto *incoming = shown.first().first().value<ui::IncomingCallWindow *>();
        auto *callerFace = incoming->findChild<QLabel *>(QStringLiteral("callerAvatar"));
        QVERIFY(callerFace);
        QCOMPARE(callerFace->toolTip(), QStringLiteral("Online"));
        QCOMPARE(labelDot(callerFace), ui::avatar::presenceColour(PresenceStatus::Online));
        incoming->answer();
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 15000);
        auto *callWindow = opened.first().first().value<ui::CallWindow *>();
        auto *face = callWindow->findChild<QLabel *>(QStringLiteral("remoteAvatar"));
        QVERIFY(face);
        QCOMPARE(face->accessibleDescription(), QStringLiteral("Online"));
        bob->presence()->setDoNotDisturb(true);
        QTRY_COMPARE_WITH_TIMEOUT(face->toolTip(), QStringLiteral("Do not disturb"), 10000);
        QCOMPARE(labelDot(face), ui::avatar::presenceColour(PresenceStatus::DoNotDisturb));
        QVERIFY(test::screenshot(callWindow, QStringLiteral("call-presence")).isEmpty());
        call->hangup();
        QTRY_COMPARE_WITH_TIMEOUT(call->state(), client::CallState::Ended, 10000);

        window()->showTab(ui::MainWindow::Tab::History);
        ui::HistoryPage *history = window()->historyPage();
        QTRY_VERIFY(history->rowCount() > 0);
        QTreeWidgetItem *row = history->callItem(0);
        QCOMPARE(row->text(1), QStringLiteral("bob"));
        QCOMPARE(row->toolTip(1), QStringLiteral("Do not disturb"));
        QCOMPARE(dotColour(row->icon(1)), ui::avatar::presenceColour(PresenceStatus::DoNotDisturb));
        bob->terminate();
        QTRY_COMPARE_WITH_TIMEOUT(history->callItem(0)->toolTip(1), QStringLiteral("Offline"),
                                  10000);
        QCOMPARE(history->callItem(0)->data(1, Qt::AccessibleDescriptionRole).toString(),
                 QStringLiteral("Offline"));
        QCOMPARE(dotColour(history->callItem(0)->icon(1)),
                 ui::avatar::presenceColour(PresenceStatus::Offline));
    }

    void cleanupTestCase()
    {
        for (QWidget *window : QApplication::topLevelWidgets()) {
            if (qobject_cast<ui::CallWindow *>(window) ||
                qobject_cast<ui::IncomingCallWindow *>(window))
                window->close();
        }
        m_app.reset();
    }
};

SOFTPHONE_GUI_TEST_MAIN(TestGuiPresence)

#include "tst_gui_presence.moc"
