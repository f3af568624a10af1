#include "GuiTestSupport.h"

#include "client/CallVoice.h"
#include "softphone/SoftphoneApp.h"
#include "support/ServerProcess.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

namespace softphone::test {

void chooseGuiPlatform()
{
    if (!qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
    else if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void useHome(const QTemporaryDir &dir)
{
    qputenv("HOME", dir.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (dir.path() + QStringLiteral("/.config")).toUtf8());
    qputenv("XDG_DATA_HOME", (dir.path() + QStringLiteral("/.local/share")).toUtf8());
}

std::unique_ptr<client::SoftphoneClient> startedClient(const QUrl &callingUrl, const QString &user,
                                                       const QString &device, const QString &token)
{
    client::ClientConfig config;
    config.serviceUrl = callingUrl;
    config.userId = user;
    config.deviceId = device;
    auto client = std::make_unique<client::SoftphoneClient>(config);
    client->setCallMedia(client::CallVoice::create);
    QSignalSpy started(client.get(), &client::SoftphoneClient::started);
    client->setAccessToken(token);
    if (!client->start() || !started.wait(15000))
        return nullptr;
    return client;
}

bool signInThroughWindow(app::SoftphoneApp &app, const QUrl &appServer, const QString &user,
                         const QString &password)
{
    ui::MainWindow *window = app.mainWindow();
    if (!window || !QTest::qWaitForWindowExposed(window))
        return false;
    QSignalSpy signedIn(&app, &app::SoftphoneApp::signedIn);
    auto *server = window->findChild<QLineEdit *>(QStringLiteral("serverEdit"));
    auto *userEdit = window->findChild<QLineEdit *>(QStringLiteral("userEdit"));
    auto *passwordEdit = window->findChild<QLineEdit *>(QStringLiteral("passwordEdit"));
    if (!server || !userEdit || !passwordEdit)
        return false;
    server->clear();
    QTest::keyClicks(server, appServer.toString());
    QTest::keyClicks(userEdit, user);
    QTest::keyClicks(passwordEdit, password);
    QTest::keyClick(passwordEdit, Qt::Key_Return);
    if (!signedIn.wait(15000))
        return false;
    return QTest::qWaitFor(
        [&app] {
            return app.client() && app.client()->connectionState() ==
                                       client::SoftphoneClient::ConnectionState::Connected;
        },
        15000);
}

bool typeMessage(ui::MainWindow *window, const QString &peer, const QString &text)
{
    window->showTab(ui::MainWindow::Tab::Messages);
    // Back from a call window, say: the user's next keys go to this window.
    window->activateWindow();
    QTest::qWaitForWindowActive(window);
    auto *peerEdit = window->findChild<QLineEdit *>(QStringLiteral("newConversationEdit"));
    auto *textEdit = window->findChild<QLineEdit *>(QStringLiteral("messageEdit"));
    if (!peerEdit || !textEdit)
        return false;
    peerEdit->setFocus();
    QTest::keyClicks(peerEdit, peer);
    QTest::keyClick(peerEdit, Qt::Key_Return);
    // Enter on the peer moves the cursor to the text box.
    if (!QTest::qWaitFor([window, textEdit] { return window->focusWidget() == textEdit; }, 5000))
        return false;
    QTest::keyClicks(textEdit, text);
    QTest::keyClick(textEdit, Qt::Key_Return);
    return textEdit->text().isEmpty();
}

QString startSignedIn(ServerProcess &server, const QString &user,
                      std::unique_ptr<app::SoftphoneApp> *app,
                      const std::function<void(app::SoftphoneApp &)> &beforeStart)
{
    app::AppOptions options;
    options.server = server.appServerUrl().toString();
    options.user = user;
    options.password = user + QStringLiteral("-pw-1");
    *app = std::make_unique<app::SoftphoneApp>(options);
    if (beforeStart)
        beforeStart(**app);
    QSignalSpy signedIn(app->get(), &app::SoftphoneApp::signedIn);
    if (!(*app)->start())
        return QStringLiteral("the app did not start: ") + (*app)->lastError();
    if (!signedIn.wait(15000))
        return user + QStringLiteral(" was not signed in");
    if (!QTest::qWaitFor(
            [&] {
                return (*app)->client()->connectionState() ==
                       client::SoftphoneClient::ConnectionState::Connected;
            },
            15000))
        return user + QStringLiteral(" did not reach the calling service");
    return {};
}

QString startAliceAndBob(ServerProcess &server, std::unique_ptr<app::SoftphoneApp> *app,
                         std::unique_ptr<client::SoftphoneClient> *bob)
{
    if (!server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-1")) ||
        !server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-1")))
        return QStringLiteral("cannot add the users");
    *app = std::make_unique<app::SoftphoneApp>(app::AppOptions{});
    if (!(*app)->start())
        return QStringLiteral("the app did not start: ") + (*app)->lastError();
    if (!signInThroughWindow(**app, server.appServerUrl(), QStringLiteral("alice"),
                             QStringLiteral("alice-pw-1")))
        return QStringLiteral("alice could not sign in through the window");
    *bob = startedClient(server.callingUrl(), QStringLiteral("bob"), QStringLiteral("bob-desk"),
                         server.login(QStringLiteral("bob"), QStringLiteral("bob-pw-1")));
    return *bob ? QString() : QStringLiteral("bob's client did not start");
}

bool chooseDevice(app::SoftphoneApp &app, const char *boxName, const QString &id,
                  storage::Settings::Key key)
{
    ui::MainWindow *window = app.mainWindow();
    window->showTab(ui::MainWindow::Tab::Settings);
    auto *box = window->findChild<QComboBox *>(QString::fromLatin1(boxName));
    if (!box)
        return false;
    if (!QTest::qWaitFor([&] { return box->findData(id) >= 0; }, 10000)) {
        for (int i = 0; i < box->count(); ++i)
            qWarning() << boxName << "lists" << box->itemData(i) << box->itemText(i);
        return false;
    }
    const int index = box->findData(id);
    box->setCurrentIndex(index);
    emit box->activated(index);
    window->showTab(ui::MainWindow::Tab::Dialer);
    return app.settings()->string(key) == id;
}

QColor dominantColour(const QImage &image)
{
    QHash<QRgb, int> counts;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); y += 2) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); x += 2)
            ++counts[line[x]];
    }
    QRgb best = 0;
    int most = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > most) {
            most = it.value();
            best = it.key();
        }
    }
    return QColor::fromRgb(best);
}

namespace {

// The documentation's light and dark pictures of the widget (see screenshot()).
QString saveLightAndDark(QWidget *widget, const QString &dir, const QString &name)
{
    namespace theme = ui::theme;
    const theme::Scheme before = theme::current();
    QDir().mkpath(dir);
    QString why;
    for (const theme::Scheme scheme : {theme::Scheme::Light, theme::Scheme::Dark}) {
        theme::apply(scheme);
        QApplication::processEvents();
        const QImage image = widget->grab().toImage();
        const bool dark = scheme == theme::Scheme::Dark;
        if (dark && dominantColour(image).lightness() > 100) {
            why = QStringLiteral("%1 is not dark in the dark scheme").arg(name);
            break;
        }
        const QString file = dir + QLatin1Char('/') + name +
                             (dark ? QStringLiteral("-dark.png") : QStringLiteral(".png"));
        if (!image.save(file, "PNG", 0)) { // 0: the smallest file
            why = QStringLiteral("cannot save %1").arg(file);
            break;
        }
    }
    theme::apply(before);
    QApplication::processEvents();
    return why;
}

} // namespace

int distinctColors(const QImage &image)
{
    QSet<QRgb> colors;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < img.height(); y += 2) {
        const QRgb *line = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = 0; x < img.width(); x += 2)
            colors.insert(line[x]);
    }
    return colors.size();
}

QString screenshot(QWidget *widget, const QString &name, QSize minSize)
{
    if (!widget)
        return QStringLiteral("no widget for %1").arg(name);
    const QImage image = widget->grab().toImage();
    const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    const QString file = dir + QLatin1Char('/') + name + QStringLiteral(".png");
    if (!image.save(file))
        return QStringLiteral("cannot save %1").arg(file);
    if (image.width() < minSize.width() || image.height() < minSize.height())
        return QStringLiteral("%1 is %2x%3, expected at least %4x%5")
            .arg(name)
            .arg(image.width())
            .arg(image.height())
            .arg(minSize.width())
            .arg(minSize.height());
    // Text, frames and buttons give a real rendering dozens of colors; a blank or
    // single-fill image has one or two.
    const int colors = distinctColors(image);
    if (colors < 8)
        return QStringLiteral("%1 looks blank: %2 distinct colors").arg(name).arg(colors);
    const QString docs = qEnvironmentVariable("SOFTPHONE_SCREENSHOT_DIR");
    if (docs.isEmpty())
        return {};
    // The documentation shows what a user sees, and a user runs the tray agent:
    // a main window whose status bar says otherwise (a test without the agent)
    // leaves its picture to tst_gui_tour.
    if (const auto *push = widget->findChild<QLabel *>(QStringLiteral("pushStatusLine"));
        push && push->text() != QLatin1String("Push: ready")) {
        qInfo("%s: not for the documentation, the status bar says \"%s\"", qPrintable(name),
              qPrintable(push->text()));
        return {};
    }
    return saveLightAndDark(widget, docs, name);
    return {};
}

} // namespace softphone::test
