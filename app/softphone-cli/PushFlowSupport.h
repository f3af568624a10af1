#pragma once
// What the push-flow command groups (push register/unregister, relay, offline,
// send) share: their options and the sign-in -> service keys -> push channel
// sequence.

#include "CliPushDevice.h"
#include "CliSession.h"
#include "client/ServiceKeysClient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <functional>

namespace softphone::cli {

extern const QCommandLineOption kFlowPushUrl;  // --push-url (default: the login's pushWs)
extern const QCommandLineOption kFlowStateDir; // --state-dir

// Signs in, reads GET /v1/keys and hands over both (failures end the session).
void signInWithKeys(CliSession &session,
                    std::function<void(const client::ServiceKeys &keys)> onReady);

// After signInWithKeys: opens this machine's push channel and calls onReady
// once its "softphone" subscription exists.
void openPushDevice(
    CliSession &session, const QCommandLineParser &parser, const client::ServiceKeys &keys,
    std::function<void(CliPushDevice *device, const push::PushSubscription &subscription)> onReady);

} // namespace softphone::cli
