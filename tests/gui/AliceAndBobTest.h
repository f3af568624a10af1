#pragma once
// The fixture of the GUI tests of calls: a real softphone-server, alice's app
// (test::startAliceAndBob, or the test's own sign-in), bob as an in-process
// client, the main window's widgets found by object name, and bob's incoming
// calls. tst_gui_calls, _audio, _audio_settings, _callwindow, _hold and
// _no_microphone derive from it.
#include "GuiTestSupport.h"
#include "softphone/SoftphoneApp.h"
#include "support/ServerProcess.h"
#include "ui/MainWindow.h"

#include <QObject>
#include <QSignalSpy>
#include <memory>

namespace softphone::test {

class AliceAndBobTest : public QObject
{
protected:
    ServerProcess m_server;
    std::unique_ptr<app::SoftphoneApp> m_app;
    std::unique_ptr<client::SoftphoneClient> m_bob;

    ui::MainWindow *window() const { return m_app->mainWindow(); }
    template<class T> T *find(const char *name) const
    {
        return window()->findChild<T *>(QString::fromLatin1(name));
    }
    // Starts the server, then alice and bob (test::startAliceAndBob): empty when
    // all went well, else what failed.
    QString startServerAliceAndBob()
    {
        if (!m_server.start())
            return m_server.lastError();
        return startAliceAndBob(m_server, &m_app, &m_bob);
    }
    // bob's and alice's ends, before the test's own clean-up (and the server's end).
    void closeAliceAndBob()
    {
        m_bob.reset();
        m_app.reset();
    }
    // The next call a spy on SoftphoneClient::incomingCall saw (waits up to 15 s); null if none.
    static client::Call *waitIncoming(QSignalSpy &spy)
    {
        if (spy.isEmpty() && !spy.wait(15000))
            return nullptr;
        return spy.takeFirst().at(0).value<client::Call *>();
    }
};

} // namespace softphone::test
