#pragma once
// The fixture most GUI tests write out themselves: a real softphone-server,
// alice's app (test::startAliceAndBob), bob as an in-process client, and the
// main window's widgets found by object name. New GUI tests derive from it;
// the older ones (tst_gui_calls, _audio, _audio_settings, _callwindow, _hold)
// still carry their own copy and can move to it.
#include "GuiTestSupport.h"
#include "softphone/SoftphoneApp.h"
#include "support/ServerProcess.h"
#include "ui/MainWindow.h"

#include <QObject>
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
};

} // namespace softphone::test
