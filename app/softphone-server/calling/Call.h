#pragma once
// One call as the service sees it: the caller's connection, the callee devices
// still ringing and, once answered, the device that took it.

#include "FieldValidators.h"

#include <QList>
#include <QString>

class QTimer;

namespace softphone::server::calling {

class CallingConnection;

struct Call
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
    QTimer *ringTimer = nullptr; // owned by the router, deleted when the call ends
};

} // namespace softphone::server::calling
