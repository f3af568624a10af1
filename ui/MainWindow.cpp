#include "MainWindow.h"

#include "ContactsPage.h"
#include "DialerPage.h"
#include "HistoryPage.h"
#include "MessagesPage.h"
#include "PushStatusSource.h"
#include "SettingsPage.h"
#include "SignInPage.h"
#include "Theme.h"
#include "client/Presence.h"
#include "storage/CallHistory.h"
#include "storage/ContactBook.h"
#include "storage/MessageStore.h"
#include "storage/Settings.h"

#include <QAction>
#include <QCloseEvent>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace softphone::ui {

MainWindow::MainWindow(storage::Settings &settings, storage::CallHistory &history,
                       storage::ContactBook &contacts, storage::MessageStore &messages,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_history(history)
    , m_contacts(contacts)
    , m_messages(messages)
    , m_stack(new QStackedWidget(this))
    , m_signIn(new SignInPage(this))
    , m_tabs(new QTabWidget(this))
    , m_dialer(new DialerPage(this))
    , m_historyPage(new HistoryPage(this))
    , m_contactsPage(new ContactsPage(contacts, this))
    , m_messagesPage(new MessagesPage(messages, this))
    , m_settingsPage(new SettingsPage(settings, this))
    , m_connection(new QLabel(this))
    , m_push(new QLabel(this))
    , m_missedLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Softphone"));
    setAccessibleName(tr("Softphone"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/softphone.svg")));

    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setAccessibleName(tr("Sections"));
    m_tabs->addTab(m_dialer, theme::svgIcon(QStringLiteral(":/ui/call.svg")), tr("&Dialer"));
    m_tabs->addTab(m_historyPage, tr("&History"));
    m_tabs->addTab(m_contactsPage, tr("C&ontacts"));
    m_tabs->addTab(m_messagesPage, tr("&Messages"));
    m_tabs->addTab(m_settingsPage, tr("&Settings"));
    m_stack->addWidget(m_signIn);
    m_stack->addWidget(m_tabs);
    setCentralWidget(m_stack);

    m_connection->setObjectName(QStringLiteral("connectionStatus"));
    m_connection->setAccessibleName(tr("Connection status"));
    m_push->setObjectName(QStringLiteral("pushStatusLine"));
    m_push->setAccessibleName(tr("Push status"));
    m_missedLabel->setObjectName(QStringLiteral("missedStatus"));
    m_missedLabel->setAccessibleName(tr("Missed calls"));
    statusBar()->addWidget(m_connection, 1);
    statusBar()->addPermanentWidget(m_missedLabel);
    statusBar()->addPermanentWidget(m_push);

    auto *fileMenu = menuBar()->addMenu(tr("&Softphone"));
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &MainWindow::quitRequested);
    // Alt+1..5 jump to a section from anywhere in the window.
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *jump = new QAction(this);
        jump->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(jump, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(jump);
    }

    connect(m_dialer, &DialerPage::dialRequested, this, &MainWindow::dialRequested);
    connect(m_historyPage, &HistoryPage::callBackRequested, this, [this](const QString &user) {
        m_dialer->setTarget(user);
        emit dialRequested(user);
    });
    connect(m_contactsPage, &ContactsPage::callRequested, this, [this](const QString &user) {
        m_dialer->setTarget(user);
        emit dialRequested(user);
    });
    connect(m_settingsPage, &SettingsPage::signOutRequested, this, &MainWindow::signOutRequested);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { markSeenIfLooking(); });
    connect(&m_history, &storage::CallHistory::changed, this, &MainWindow::refreshHistory);
    connect(&m_history, &storage::CallHistory::unseenMissedCountChanged, this,
            &MainWindow::updateMissed);
    connect(&m_contacts, &storage::ContactBook::changed, this, &MainWindow::refreshCompletions);
    connect(&m_messages, &storage::MessageStore::unreadCountChanged, this,
            &MainWindow::updateUnread);

    refreshHistory();
    updateMissed(m_history.unseenMissedCount());
    updateUnread(m_messages.totalUnread());
    setConnection(Connection::Offline);
    showPushLine();
    resize(560, 520);
    if (!restoreGeometry(m_settings.value(storage::Settings::Key::WindowGeometry).toByteArray()))
        resize(560, 520);
    showSignIn();
}

void MainWindow::showSignIn()
{
    m_stack->setCurrentWidget(m_signIn);
    m_settingsPage->setAccount({}, {});
    m_signIn->setFocus();
}

void MainWindow::showMain(const QString &user, const QString &server)
{
    m_stack->setCurrentWidget(m_tabs);
    m_settingsPage->setAccount(user, server);
    setWindowTitle(tr("Softphone - %1").arg(user));
    showTab(Tab::Dialer);
    m_dialer->focusTarget();
}

bool MainWindow::isShowingMain() const
{
    return m_stack->currentWidget() == m_tabs;
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

MainWindow::Tab MainWindow::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void MainWindow::setConnection(Connection connection, const QString &detail)
{
    QString text;
    switch (connection) {
    case Connection::Offline:
        text = tr("Offline");
        break;
    case Connection::Connecting:
        text = tr("Connecting...");
        break;
    case Connection::Online:
        text = tr("Online");
        break;
    case Connection::Reconnecting:
        text = tr("Connection lost, reconnecting...");
        break;
    }
    if (!detail.isEmpty())
        text += QStringLiteral(" - ") + detail;
    m_connection->setText(text);
    m_dialer->setCallingAvailable(connection == Connection::Online,
                                  tr("Calls are possible once you are online (%1).").arg(text));
}

QString MainWindow::connectionText() const
{
    return m_connection->text();
}

void MainWindow::setPushStatusSource(PushStatusSource *source)
{
    m_pushSource = source;
    m_settingsPage->setPushStatusSource(source);
    if (source)
        connect(source, &PushStatusSource::pushStatusChanged, this, &MainWindow::showPushLine);
    showPushLine();
}

void MainWindow::showPushLine()
{
    QString text = tr("Push: not set up");
    if (m_pushSource) {
        switch (m_pushSource->pushStatus().state) {
        case PushStatus::State::NotSetUp:
            break;
        case PushStatus::State::Registering:
            text = tr("Push: registering");
            break;
        case PushStatus::State::Registered:
            text = tr("Push: ready");
            break;
        case PushStatus::State::Failed:
            text = tr("Push: not working");
            break;
        case PushStatus::State::Off:
            text = tr("Push: off");
            break;
        }
    }
    m_push->setText(text);
}

void MainWindow::setPresence(client::Presence *presence)
{
    if (m_presence)
        m_presence->disconnect(this);
    m_presence = presence;
    if (presence)
        connect(presence, &client::Presence::statusChanged, this, [this](const QString &user) {
            m_contactsPage->showPresence(user);
            m_dialer->showPresence(user);
            m_historyPage->showPresence(user);
        });
    m_contactsPage->setPresence(presence);
    m_dialer->setPresence(presence);
    m_historyPage->setPresence(presence);
}

void MainWindow::refreshHistory()
{
    m_historyPage->setRecords(m_history.recent());
    refreshCompletions();
}

void MainWindow::refreshCompletions()
{
    QStringList users;
    for (const storage::Contact &c : m_contacts.all())
        users.append(c.userId);
    users += m_history.remoteUsers();
    m_dialer->setCompletions(users);
    m_historyPage->setContacts(m_contacts.all());
}

void MainWindow::updateMissed(int count)
{
    m_missed = count;
    m_tabs->setTabText(int(Tab::History),
                       count > 0 ? tr("&History (%1)").arg(count) : tr("&History"));
    m_missedLabel->setText(count > 0 ? tr("%n missed call(s)", nullptr, count) : QString());
    m_missedLabel->setVisible(count > 0);
    markSeenIfLooking();
}

void MainWindow::updateUnread(int count)
{
    m_tabs->setTabText(int(Tab::Messages),
                       count > 0 ? tr("&Messages (%1)").arg(count) : tr("&Messages"));
}

void MainWindow::markSeenIfLooking()
{
    // Missed calls count until the user has the history in front of them.
    if (m_missed > 0 && isVisible() && !isMinimized() && isShowingMain() &&
        currentTab() == Tab::History)
        m_history.markMissedSeen();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange || event->type() == QEvent::ActivationChange)
        markSeenIfLooking();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setValue(storage::Settings::Key::WindowGeometry, saveGeometry());
    event->ignore();
    emit closeRequested();
}

} // namespace softphone::ui
