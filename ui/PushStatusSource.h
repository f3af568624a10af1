#pragma once
// The seam for the push status shown in Settings and the status line. The
// tray agent (which keeps the push subscription) feeds it through the app's
// local socket (InstanceChannel "push_status"); without an agent the screens
// say so.

#include <QDateTime>
#include <QObject>
#include <QString>

namespace softphone::ui {

struct PushStatus
{
    // Off: the agent runs but keeps no registration (signed out, quitting).
    enum class State { NotSetUp, Registering, Registered, Failed, Off };
    State state = State::NotSetUp;
    QString endpoint;   // the push service (host) this device registered at
    QDateTime lastPush; // invalid until a push came
    QString error;      // Failed, Off: why
};

class PushStatusSource : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    virtual PushStatus pushStatus() const = 0;

signals:
    void pushStatusChanged();
};

} // namespace softphone::ui
