#pragma once
// What every attack on the calling service starts from (tst_sec_calling_*): a
// real softphone-server on loopback with a few accounts, and raw clients signed
// in to it, so each test file holds only its attack.

#include "integration/calling/RawCallingClient.h"
#include "protocol/Message.h"
#include "support/ServerProcess.h"

#include <QObject>
#include <memory>

namespace softphone::test {

// The password of every account these tests add (long enough for any policy).
inline const QString kAttackPassword = QStringLiteral("attack test password 1");

// `serve` with extraArgs and the users added; nullptr (the reason logged) on failure.
std::unique_ptr<ServerProcess> startServerWithUsers(const QStringList &users,
                                                    const QStringList &extraArgs = {});
// A client signed in with `token` (hello + welcome); nullptr if no welcome came.
std::unique_ptr<RawCallingClient>
signedIn(const ServerProcess &server, const QString &token, const QString &device,
         const protocol::Capabilities &caps = {true, false, false});
// The same with a token signed for `user` by the server's own key.
std::unique_ptr<RawCallingClient>
signedInAs(const ServerProcess &server, const QString &user, const QString &device,
           const protocol::Capabilities &caps = {true, false, false});

// The fixture every tst_sec_calling_* test class derives from: the server
// under attack (started per test function, dropped in cleanup()) and clients
// signed in to it, so each file holds only its attack.
class CallingAttack : public QObject
{
protected:
    // Starts m_server (`serve` with extraArgs) with these accounts; false (the
    // reason logged) if it did not come up.
    bool startServer(const QStringList &users = {"alice", "bob", "carol"},
                     const QStringList &extraArgs = {});
    // A client of `user` signed in with a token the server's key signed.
    std::unique_ptr<RawCallingClient> signIn(const QString &user, const QString &device,
                                             const protocol::Capabilities &caps = {true, false,
                                                                                   false}) const
    {
        return signedInAs(*m_server, user, device, caps);
    }

    std::unique_ptr<ServerProcess> m_server;
};

} // namespace softphone::test
