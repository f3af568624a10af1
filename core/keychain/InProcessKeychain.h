#pragma once
// The keychain through QtKeychain in this process. Its Secret Service backend
// loads libsecret (with GLib, GIO, libgcrypt and a GDBus thread) on the first
// job, and they stay mapped: fine for the softphone and softphone-cli; the tray
// agent uses ChildProcessKeychain instead. Jobs still running when this object
// is destroyed are cancelled (their done never runs).

#include "Keychain.h"

namespace softphone::keychain {

class InProcessKeychain : public QObject, public Keychain
{
    Q_OBJECT
public:
    explicit InProcessKeychain(QObject *parent = nullptr);

    void run(const Request &request, const QObject *context, Done done) override;
};

} // namespace softphone::keychain
