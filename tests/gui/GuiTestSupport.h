#pragma once
// Shared by the GUI tests: a private HOME per test process, the platform
// choice (xcb under the desktop session, offscreen otherwise), real callee
// clients and a sink recording what they hear, signing the app in and
// choosing its devices as a user does, and screenshot checks.

#include "client/AudioSink.h"
#include "client/SoftphoneClient.h"
#include "storage/Settings.h"

#include <QApplication>
#include <QImage>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace softphone::app {
class SoftphoneApp;
}
namespace softphone::ui {
class MainWindow;
}

namespace softphone::test {
class ServerProcess;

// Call first in main(), before QApplication: xcb when there is an X display.
void chooseGuiPlatform();
// Points HOME, XDG_CONFIG_HOME and XDG_DATA_HOME into `dir` so settings and
// history of this test never meet another's (the keychain stays the session's).
void useHome(const QTemporaryDir &dir);

// A started client of the calling service for `user` (token from the app server).
std::unique_ptr<client::SoftphoneClient> startedClient(const QUrl &callingUrl, const QString &user,
                                                       const QString &device, const QString &token);

// What a test's callee hears, kept in memory (MediaSession::setSink).
class RecordingSink : public client::AudioSink
{
public:
    void write(std::span<const int16_t> block) override
    {
        samples.insert(samples.end(), block.begin(), block.end());
    }
    std::vector<int16_t> samples;
};

// Types the server, user and password into the app's sign-in page and presses
// Enter; true once signed in and connected to the calling service.
bool signInThroughWindow(app::SoftphoneApp &app, const QUrl &appServer, const QString &user,
                         const QString &password);
// An app started with the user's credentials on its command line (as
// `softphone --user alice --password ...` would be; the password is
// "<user>-pw-1"); beforeStart runs between making and starting it. Empty once
// signed in and connected to the calling service, else what failed.
QString startSignedIn(ServerProcess &server, const QString &user,
                      std::unique_ptr<app::SoftphoneApp> *app,
                      const std::function<void(app::SoftphoneApp &)> &beforeStart = {});
// The two parties of most GUI tests, on a started server: users alice and bob
// added, alice signed in through a new app's window, bob an in-process client
// (device "bob-desk"). Empty when all went well, else what failed.
QString startAliceAndBob(ServerProcess &server, std::unique_ptr<app::SoftphoneApp> *app,
                         std::unique_ptr<client::SoftphoneClient> *bob);
// The user picks a device in Settings (the list named boxName follows devices
// coming and going, so it waits for `id` to be listed); true once it is chosen
// and stored under `key`. Leaves the Dialer in front.
bool chooseDevice(app::SoftphoneApp &app, const char *boxName, const QString &id,
                  storage::Settings::Key key);

// On the Messages page the user opens the conversation with `peer` and types
// `text`; Enter sends it. True once the text box took it (emptied).
bool typeMessage(ui::MainWindow *window, const QString &peer, const QString &text);

// Grabs the widget, saves it as <build>/screenshots/<name>.png and checks it is
// a real rendering: at least minSize, several distinct colors. With
// SOFTPHONE_SCREENSHOT_DIR set (tests/update-screenshots: docs/screenshots)
// it also writes the documentation's pair there, <name>.png in the light
// scheme and <name>-dark.png in the dark one (checked dark), compressed;
// not for a main window whose status bar does not say "Push: ready" (the
// tray agent is not running: no user sees that).
// Empty when good, else the reason.
QString screenshot(QWidget *widget, const QString &name, QSize minSize = QSize(300, 180));
int distinctColors(const QImage &image);
// The most frequent colour of an image: its background.
QColor dominantColour(const QImage &image);

// The main() of every GUI test: the platform, a private HOME, the
// application's names as the softphone sets them, then the test's slots.
template<class TestObject> int runGuiTest(int argc, char **argv)
{
    chooseGuiPlatform();
    QTemporaryDir home;
    useHome(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("softphone"));
    QApplication::setOrganizationName(QStringLiteral("softphone"));
    TestObject test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace softphone::test

#define SOFTPHONE_GUI_TEST_MAIN(TestObject)                                                        \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return softphone::test::runGuiTest<TestObject>(argc, argv);                                \
    }
