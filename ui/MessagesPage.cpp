#include "MessagesPage.h"

#include "MessageTransport.h"
#include "storage/MessageStore.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QUuid>
#include <QVBoxLayout>

namespace softphone::ui {

namespace {

QString statusMark(storage::ChatMessage::Status status)
{
    using S = storage::ChatMessage::Status;
    switch (status) {
    case S::Pending:
        return MessagesPage::tr("sending");
    case S::Sent:
        return MessagesPage::tr("sent");
    case S::Delivered:
        return MessagesPage::tr("delivered");
    case S::Failed:
        return MessagesPage::tr("not sent");
    default:
        return {};
    }
}

} // namespace

MessagesPage::MessagesPage(storage::MessageStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_conversations(new QListWidget(this))
    , m_newPeer(new QLineEdit(this))
    , m_messages(new QListWidget(this))
    , m_text(new QLineEdit(this))
    , m_send(new QPushButton(tr("&Send"), this))
    , m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("messagesPage"));
    setAccessibleName(tr("Messages"));
    m_conversations->setObjectName(QStringLiteral("conversationList"));
    m_conversations->setAccessibleName(tr("Conversations"));
    m_newPeer->setObjectName(QStringLiteral("newConversationEdit"));
    m_newPeer->setAccessibleName(tr("Start a conversation with"));
    m_newPeer->setPlaceholderText(tr("New conversation: user name"));
    m_messages->setObjectName(QStringLiteral("messageList"));
    m_messages->setAccessibleName(tr("Messages in this conversation"));
    m_messages->setWordWrap(true);
    m_text->setObjectName(QStringLiteral("messageEdit"));
    m_text->setAccessibleName(tr("Message text"));
    m_text->setMaxLength(8192);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAccessibleName(tr("Send message"));
    m_note->setObjectName(QStringLiteral("messagesNote"));
    m_note->setAccessibleName(tr("Messaging status"));
    m_note->setWordWrap(true);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_newPeer);
    leftLayout->addWidget(m_conversations);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_messages, 1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_text, 1);
    row->addWidget(m_send);
    rightLayout->addLayout(row);
    rightLayout->addWidget(m_note);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_conversations, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            openConversation(item->data(Qt::UserRole).toString());
    });
    connect(m_newPeer, &QLineEdit::returnPressed, this, [this] {
        const QString peer = m_newPeer->text().trimmed();
        if (peer.isEmpty())
            return;
        m_newPeer->clear();
        openConversation(peer);
        m_text->setFocus();
    });
    connect(m_text, &QLineEdit::returnPressed, this, &MessagesPage::send);
    connect(m_text, &QLineEdit::textChanged, this, &MessagesPage::updateSendState);
    connect(m_send, &QPushButton::clicked, this, &MessagesPage::send);
    connect(&m_store, &storage::MessageStore::changed, this, [this](const QString &peer) {
        reloadConversations();
        if (peer == m_peer)
            reloadMessages();
    });
    reloadConversations();
    updateSendState();
}

void MessagesPage::setTransport(MessageTransport *transport)
{
    if (m_transport)
        m_transport->disconnect(this);
    m_transport = transport;
    if (transport) {
        connect(transport, &MessageTransport::availableChanged, this,
                &MessagesPage::updateSendState);
        connect(transport, &MessageTransport::statusChanged, this,
                [this](const QString &id, storage::ChatMessage::Status status) {
                    m_store.setStatus(id, status);
                });
        connect(transport, &MessageTransport::received, this,
                [this](const QString &id, const QString &from, const QString &text,
                       const QDateTime &at) {
                    m_store.addIncoming(id, from, text, at);
                    // Read at once when the user is looking at that conversation.
                    if (from == m_peer && isVisible())
                        m_store.markRead(from);
                });
    }
    updateSendState();
}

void MessagesPage::openConversation(const QString &peer)
{
    m_peer = peer;
    m_store.markRead(peer);
    reloadMessages();
    reloadConversations();
    updateSendState();
}

void MessagesPage::reloadConversations()
{
    const QSignalBlocker blocker(m_conversations);
    m_conversations->clear();
    bool currentListed = false;
    for (const storage::Conversation &c : m_store.conversations()) {
        const QString label =
            c.unread > 0 ? tr("%1 (%n unread)", nullptr, c.unread).arg(c.peer) : c.peer;
        auto *item =
            new QListWidgetItem(label + QLatin1Char('\n') + c.lastText.left(60), m_conversations);
        item->setData(Qt::UserRole, c.peer);
        if (c.unread > 0) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        if (c.peer == m_peer) {
            m_conversations->setCurrentItem(item);
            currentListed = true;
        }
    }
    if (!m_peer.isEmpty() && !currentListed) {
        auto *item = new QListWidgetItem(m_peer, m_conversations);
        item->setData(Qt::UserRole, m_peer);
        m_conversations->setCurrentItem(item);
    }
}

void MessagesPage::reloadMessages()
{
    m_messages->clear();
    const QLocale locale;
    for (const storage::ChatMessage &m : m_store.messages(m_peer)) {
        const QString time = locale.toString(m.at.toLocalTime().time(), QLocale::ShortFormat);
        QString line = m.outgoing ? tr("Me, %1: %2").arg(time, m.text)
                                  : tr("%1, %2: %3").arg(m.peer, time, m.text);
        const QString mark = m.outgoing ? statusMark(m.status) : QString();
        if (!mark.isEmpty())
            line += QStringLiteral("  [") + mark + QLatin1Char(']');
        auto *item = new QListWidgetItem(line, m_messages);
        item->setTextAlignment(m.outgoing ? Qt::AlignRight : Qt::AlignLeft);
    }
    m_messages->scrollToBottom();
}

void MessagesPage::updateSendState()
{
    const bool available = m_transport && m_transport->isAvailable();
    m_send->setEnabled(available && !m_peer.isEmpty() && !m_text->text().trimmed().isEmpty());
    m_text->setEnabled(!m_peer.isEmpty());
    if (!m_transport)
        m_note->setText(tr("Sending messages is not available in this version yet; "
                           "received messages are kept here."));
    else if (!available)
        m_note->setText(tr("Offline: messages can be sent when the connection is back."));
    else if (m_peer.isEmpty())
        m_note->setText(tr("Choose a conversation or type a user name to start one."));
    else
        m_note->clear();
}

void MessagesPage::send()
{
    const QString text = m_text->text().trimmed();
    if (!m_transport || !m_transport->isAvailable() || m_peer.isEmpty() || text.isEmpty())
        return;
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!m_store.addOutgoing(id, m_peer, text)) {
        m_note->setText(tr("The message could not be stored, so it was not sent."));
        return;
    }
    m_text->clear();
    m_transport->send(id, m_peer, text);
}

} // namespace softphone::ui
