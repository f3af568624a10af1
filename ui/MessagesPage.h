#pragma once
// Messages: conversations with unread counts, the messages of one
// conversation with delivery marks, and a field to send. Everything is read
// from and written to the MessageStore; a MessageTransport (when the app has
// one) carries messages out and in.

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace softphone::storage {
class MessageStore;
}

namespace softphone::ui {

class MessageTransport;

class MessagesPage : public QWidget
{
    Q_OBJECT

public:
    explicit MessagesPage(storage::MessageStore &store, QWidget *parent = nullptr);

    // Not owned; null means "no messaging yet".
    void setTransport(MessageTransport *transport);
    void openConversation(const QString &peer);
    QString currentPeer() const { return m_peer; }

private:
    void reloadConversations();
    void reloadMessages();
    void send();
    void updateSendState();

    storage::MessageStore &m_store;
    QPointer<MessageTransport> m_transport;
    QString m_peer;
    QListWidget *m_conversations;
    QLineEdit *m_newPeer;
    QListWidget *m_messages;
    QLineEdit *m_text;
    QPushButton *m_send;
    QLabel *m_note;
};

} // namespace softphone::ui
