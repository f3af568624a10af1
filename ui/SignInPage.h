#pragma once
// Sign-in: server address, user, password, "remember me". The page only
// collects and shows; the app does the signing in and reports back through
// showFailure() so the words for each failure live here.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace softphone::ui {

class SignInPage : public QWidget
{
    Q_OBJECT

public:
    enum class Failure {
        BadCredentials,
        Unreachable,
        Tls,
        RateLimited,
        BadServerAddress,
        Insecure, // http:// to another machine without --allow-insecure
        Other
    };
    Q_ENUM(Failure)

    explicit SignInPage(QWidget *parent = nullptr);

    void setServer(const QString &server);
    void setUser(const QString &user);
    void setRemember(bool remember);
    QString server() const;
    QString user() const;

    // Busy: fields locked, "Signing in...".
    void setBusy(bool busy);
    // The reason in the user's words, with the technical detail below it.
    void showFailure(Failure failure, const QString &detail = {});
    void showNotice(const QString &text);
    void clearPassword();

signals:
    void signInRequested(const QString &server, const QString &user, const QString &password,
                         bool remember);

private:
    void submit();

    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QPushButton *m_signIn;
    QLabel *m_message;
};

} // namespace softphone::ui
