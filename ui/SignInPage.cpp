#include "SignInPage.h"

#include "client/ClientConfig.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace softphone::ui {

SignInPage::SignInPage(QWidget *parent)
    : QWidget(parent)
    , m_server(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember me on this computer"), this))
    , m_signIn(new QPushButton(tr("&Sign in"), this))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("signInPage"));
    setAccessibleName(tr("Sign in"));

    auto *title = new QLabel(tr("Sign in to your softphone account"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    title->setFont(titleFont);

    m_server->setObjectName(QStringLiteral("serverEdit"));
    m_server->setAccessibleName(tr("Server address"));
    m_server->setPlaceholderText(tr("https://phone.example.org"));
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_user->setAccessibleName(tr("User name"));
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("rememberCheck"));
    m_remember->setAccessibleName(tr("Remember me"));
    m_remember->setToolTip(
        tr("Keeps a sign-in credential in the system keychain, never your password"));
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setAccessibleName(tr("Sign in"));
    m_signIn->setDefault(true);
    m_message->setObjectName(QStringLiteral("signInMessage"));
    m_message->setAccessibleName(tr("Sign-in status"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    auto addRow = [form](const QString &label, QWidget *field) {
        auto *l = new QLabel(label);
        l->setBuddy(field);
        form->addRow(l, field);
    };
    addRow(tr("Ser&ver:"), m_server);
    addRow(tr("&User:"), m_user);
    addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(m_signIn, 0, Qt::AlignRight);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->setContentsMargins(32, 16, 32, 16);

    connect(m_signIn, &QPushButton::clicked, this, &SignInPage::submit);
    for (QLineEdit *edit : {m_server, m_user, m_password})
        connect(edit, &QLineEdit::returnPressed, this, &SignInPage::submit);
}

void SignInPage::setServer(const QString &server)
{
    m_server->setText(server);
}
void SignInPage::setUser(const QString &user)
{
    m_user->setText(user);
}
void SignInPage::setRemember(bool remember)
{
    m_remember->setChecked(remember);
}
QString SignInPage::server() const
{
    return m_server->text().trimmed();
}
QString SignInPage::user() const
{
    return m_user->text().trimmed();
}
void SignInPage::clearPassword()
{
    m_password->clear();
}

void SignInPage::setBusy(bool busy)
{
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_server, m_user, m_password, m_remember, m_signIn})
        w->setEnabled(!busy);
    if (busy)
        m_message->setText(tr("Signing in..."));
}

void SignInPage::showNotice(const QString &text)
{
    m_message->setText(text);
}

void SignInPage::showFailure(Failure failure, const QString &detail)
{
    setBusy(false);
    QString text;
    QLineEdit *focus = m_server;
    switch (failure) {
    case Failure::BadCredentials:
        text = tr("Wrong user name or password.");
        focus = m_password;
        m_password->selectAll();
        break;
    case Failure::Unreachable:
        text = tr("Cannot reach the server. Check the address and your network connection.");
        break;
    case Failure::Tls:
        text = tr("The server's certificate is not trusted, so the connection was not made.");
        break;
    case Failure::RateLimited:
        text = tr("Too many failed attempts. Wait a minute and try again.");
        focus = m_password;
        break;
    case Failure::BadServerAddress:
        text = tr("The server address is not valid. It looks like https://phone.example.org");
        break;
    case Failure::Insecure:
        text = tr("The connection to this server would not be encrypted (http://), so your "
                  "password could be read on the network. Use an https:// address, or start the "
                  "softphone with --allow-insecure for a server you trust.");
        break;
    case Failure::Other:
        text = tr("Signing in failed.");
        break;
    }
    if (!detail.isEmpty())
        text += QLatin1Char('\n') + detail;
    m_message->setText(text);
    focus->setFocus();
}

void SignInPage::submit()
{
    if (!m_signIn->isEnabled())
        return;
    // One address, or the nodes of one service separated by commas.
    QStringList urls;
    for (const QString &part : client::serviceUrls(server())) {
        const QUrl url = QUrl::fromUserInput(part);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            showFailure(Failure::BadServerAddress);
            return;
        }
        urls << url.toString(QUrl::StripTrailingSlash);
    }
    if (urls.isEmpty()) {
        showFailure(Failure::BadServerAddress);
        return;
    }
    if (user().isEmpty()) {
        m_message->setText(tr("Enter your user name."));
        m_user->setFocus();
        return;
    }
    if (m_password->text().isEmpty()) {
        m_message->setText(tr("Enter your password."));
        m_password->setFocus();
        return;
    }
    setBusy(true);
    emit signInRequested(urls.join(QLatin1Char(',')), user(), m_password->text(),
                         m_remember->isChecked());
}

} // namespace softphone::ui
