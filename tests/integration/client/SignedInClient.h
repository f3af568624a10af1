#pragma once
// Test helpers for SoftphoneClient against a real server: the suite's
// passwords, a calling server with users, and a client signed in and started
// (waits in nested event loops: test code only).

#include "client/SoftphoneClient.h"
#include "support/ServerProcess.h"

#include <memory>

namespace softphone::test {

QString passwordOf(const QString &user);

// Starts `server` and adds `users` (password passwordOf(user)); false on failure.
bool startWithUsers(ServerProcess &server, const QStringList &users);

// Logged in over HTTP, started, welcomed; null on failure.
std::unique_ptr<client::SoftphoneClient> signIn(ServerProcess &server, const QString &user,
                                                const QString &device = QStringLiteral("desk"),
                                                const client::ClientCapabilities &caps = {});

} // namespace softphone::test
