#pragma once
// The softphone's main window: the sign-in page until signed in, then tabs for
// the dialer, call history, contacts, messages and settings, with a status
// line for the connection and push state. It shows and collects; the app
// (app/softphone) does the signing in and the calling.

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace softphone::client {
class Presence;
}
namespace softphone::storage {
class CallHistory;
class ContactBook;
class MessageStore;
class Settings;
} // namespace softphone::storage

namespace softphone::ui {

class ContactsPage;
class DialerPage;
class HistoryPage;
class MessagesPage;
class PushStatusSource;
class SettingsPage;
class SignInPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Tab { Dialer, History, Contacts, Messages, Settings };
    Q_ENUM(Tab)
    enum class Connection { Offline, Connecting, Online, Reconnecting };
    Q_ENUM(Connection)

    MainWindow(storage::Settings &settings, storage::CallHistory &history,
               storage::ContactBook &contacts, storage::MessageStore &messages,
               QWidget *parent = nullptr);

    SignInPage *signInPage() const { return m_signIn; }
    DialerPage *dialerPage() const { return m_dialer; }
    HistoryPage *historyPage() const { return m_historyPage; }
    ContactsPage *contactsPage() const { return m_contactsPage; }
    MessagesPage *messagesPage() const { return m_messagesPage; }
    SettingsPage *settingsPage() const { return m_settingsPage; }

    void showSignIn();
    void showMain(const QString &user, const QString &server);
    bool isShowingMain() const;
    void showTab(Tab tab);
    Tab currentTab() const;

    void setConnection(Connection connection, const QString &detail = {});
    QString connectionText() const;
    void setPushStatusSource(PushStatusSource *source);
    // The contacts' statuses for the contacts and the dialer (the signed-in
    // client's presence); nullptr when signed out.
    void setPresence(client::Presence *presence);
    int missedCount() const { return m_missed; }

signals:
    void dialRequested(const QString &user);
    void signOutRequested();
    // The user closed the window; the app decides between hiding and quitting.
    void closeRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void refreshHistory();
    void refreshCompletions();
    void updateMissed(int count);
    void updateUnread(int count);
    void showPushLine();
    void markSeenIfLooking();

    storage::Settings &m_settings;
    storage::CallHistory &m_history;
    storage::ContactBook &m_contacts;
    storage::MessageStore &m_messages;
    QStackedWidget *m_stack;
    SignInPage *m_signIn;
    QTabWidget *m_tabs;
    DialerPage *m_dialer;
    HistoryPage *m_historyPage;
    ContactsPage *m_contactsPage;
    MessagesPage *m_messagesPage;
    SettingsPage *m_settingsPage;
    QLabel *m_connection;
    QLabel *m_push;
    QLabel *m_missedLabel;
    PushStatusSource *m_pushSource = nullptr;
    QPointer<client::Presence> m_presence;
    int m_missed = 0;
};

} // namespace softphone::ui
