#pragma once
// The seam for the push status shown in Settings and the status line. The
// tray agent (which keeps the push subscription) will feed it through the
// app's local socket; until then the app has none and the screens say so.

#include <QDateTime>
#include <QObject>
#include <QString>

namespace softphone::ui {

struct PushStatus
{
    enum class State { NotSetUp, Registering, Registered, Failed };
    State state = State::NotSetUp;
    QString endpoint;   // the push service URL this device registered
    QDateTime lastPush; // invalid until a push came
    QString error;      // Failed: why
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
