#pragma once
// One call as the calling service routes it: the caller's connection, the
// callee devices still ringing and, once answered, the device that took it.
// Named RoutedCall so it is never taken for the client's core/client/Call.

#include "protocol/FieldValidators.h"
#include "protocol/MediaDescription.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class QTimer;

namespace softphone::server::calling {

class CallingConnection;

// One party's UDP media signaling (docs/protocol.md "UDP media").
struct MediaSide
{
    std::optional<protocol::MediaDescription> description; // none: WebSocket frames only
    int candidates = 0;                                    // trickled in the current ICE generation
    int restarts = 0;
};

struct RoutedCall
{
    enum class State { Ringing, Established };

    QString id;
    QString from; // caller user
    QString to;   // callee user
    protocol::Headers headers;
    bool video = false;
    qint64 expiresAtMs = 0; // ring deadline

    State state = State::Ringing;
    CallingConnection *caller = nullptr;
    QList<CallingConnection *> ringing; // told `incoming`, not declined, still connected
    CallingConnection *answeredBy = nullptr;
    bool progressSent = false;
    // Devices given a push pair that have not claimed the call yet: while any
    // remain, declines by the ringing devices do not end the call.
    QStringList awaitingClaim;
    bool pushed = false; // a push went out: its devices get a cancel when the call ends unanswered
    QTimer *ringTimer = nullptr; // owned by the router, deleted when the call ends
    MediaSide callerMedia;       // from `call`
    MediaSide calleeMedia;       // from the answering device's `answer`
    bool callerHolds = false;    // docs/protocol.md "Hold and resume": each party's own hold
    bool calleeHolds = false;
};

} // namespace softphone::server::calling
