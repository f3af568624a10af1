#pragma once
// The softphone as a user with the tray agent runs it, for the GUI tests that
// start the real softphone-tray (tst_gui_tray, tst_gui_tour): SoftphoneApp on
// the instance socket of a private runtime folder, where the agent tells it the
// push status (the same wiring as the softphone executable).
#include "softphone/InstanceChannel.h"
#include "softphone/SoftphoneApp.h"
#include "support/TrayTestSupport.h"
#include "ui/MainWindow.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace softphone::test {

// Makes <runtime>/softphone as ipc::runtimeDir() does: the user's alone (0700),
// else the agent refuses it. False when it cannot.
inline bool prepareRuntimeDir(const QTemporaryDir &runtime)
{
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    const QString folder = runtime.path() + QStringLiteral("/softphone");
    return runtime.isValid() && QDir().mkpath(folder) &&
           QFile::setPermissions(runtime.path(), owner) && QFile::setPermissions(folder, owner);
}

inline QString instanceSocket(const QTemporaryDir &runtime)
{
    return runtime.path() + QStringLiteral("/softphone/instance");
}

// The agent in the test's HOME (settings and keychain shared with the test's
// SoftphoneApp), on the test's runtime folder; a push would start the real
// softphone: none is expected, so it starts /bin/false.
struct AgentTray : traytest::Tray
{
    explicit AgentTray(const QString &runtimeDir)
        : traytest::Tray(Options{{}, runtimeDir, QStringLiteral("/bin/false")})
    {}
};

// SoftphoneApp on the instance socket, as the softphone executable runs it.
struct AgentSoftphone
{
    explicit AgentSoftphone(const QString &socketPath)
        : channel(socketPath)
        , app(app::AppOptions{})
    {}
    bool start()
    {
        QSignalSpy primary(&channel, &app::InstanceChannel::becamePrimary);
        channel.claimOrForward({});
        // No socket there yet: it may become the first instance right away.
        if (primary.isEmpty() && !primary.wait(10000))
            return false;
        app.attachInstanceChannel(&channel);
        return app.start();
    }
    // Settings' push status, and the status bar's short line ("Push: ready").
    QString pushText() const { return label("pushStatus"); }
    QString pushLine() const { return label("pushStatusLine"); }
    QString label(const char *name) const
    {
        auto *label = app.mainWindow()->findChild<QLabel *>(QString::fromLatin1(name));
        return label ? label->text() : QString();
    }
    app::InstanceChannel channel;
    app::SoftphoneApp app;
};

} // namespace softphone::test
