#pragma once
// What the calling service and the application server's push fan-out tell each
// other when both run in one process (docs/protocol.md "Feedback and cancel"):
// a push service said a device's subscription is gone (prune its
// registration), and a call that sent pushes ended unanswered (send cancels).
// One instance per process; a split deployment has no peer to hear these and
// needs an HTTP variant (not built yet).

#include <QByteArray>
#include <QObject>
#include <QString>

namespace softphone::server {

class PushEvents : public QObject
{
    Q_OBJECT
public:
    static PushEvents &instance();

Q_SIGNALS:
    // The fan-out got 404/410 for this device's push data: the calling service
    // forgets the registration if it still holds exactly these bytes.
    void pushGone(const QString &user, const QString &device, const QByteArray &pushData);
    // The calling service: a pushed call stopped ringing without being answered
    // on a pushed device; cancelPayload is a signed t="cancel" payload.
    void pushedCallEnded(const QString &callId, const QString &cause, const QString &cancelPayload);
};

} // namespace softphone::server
