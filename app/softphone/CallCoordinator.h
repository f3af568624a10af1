#pragma once
// Calls as the user meets them: places outgoing calls with a call window,
// presents incoming ones (or declines them under do-not-disturb), opens the
// call window on answer, and writes every ended call to the history. Sound:
// ringtone / ringback / call-ended tones (CallSounds), and an established
// call's voice on the microphone and speaker chosen in Settings.
//
// One conversation at a time: a call placed while others are in progress puts
// them on hold; a call that rings while the user is in another
// is call waiting (the waiting tone in the call's audio instead of the ringer;
// the incoming window offers Hold and answer / End and answer / Decline), and
// resuming one call puts the others on hold.

#include "CallSounds.h"
#include "client/Call.h"
#include "common/RecentIds.h"
#include "ui/CallWindow.h"
#include "ui/IncomingCallWindow.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <memory>

namespace softphone::client {
class DeviceAudioSink;
class DeviceAudioSource;
class SoftphoneClient;
} // namespace softphone::client
namespace softphone::storage {
class CallHistory;
class Settings;
} // namespace softphone::storage

namespace softphone::app {

class CallCoordinator : public QObject
{
    Q_OBJECT

public:
    CallCoordinator(storage::Settings &settings, storage::CallHistory &history,
                    QObject *parent = nullptr);

    // The client whose calls we handle (null while signed out).
    void setClient(client::SoftphoneClient *client);
    // False (and why in *reason) when no call can be placed now.
    // Calls in progress go on hold first; refused while a call still rings.
    bool placeCall(const QString &user, QString *reason = nullptr);
    // The same, refused while any call is in progress (the echo test call
    // puts no conversation on hold).
    bool placeOnlyCall(const QString &user, QString *reason = nullptr);
    bool hasActiveCalls() const;
    // The incoming-call notification's Answer / Decline (softphone --answer ID):
    // acts on the call if it rings here now, else as soon as it does (a push
    // may still be on its way to this process). False for an unusable id.
    bool answerIncoming(const QString &callId);
    bool declineIncoming(const QString &callId);
    // Incoming calls answered or declined in this process (by the user or do
    // not disturb; the latest 16, ended or not): the service's "cancel" push
    // for one of them is no news of a missed call.
    QStringList handledCalls() const { return m_handled.ids(); }
    bool wasHandledHere(const QString &callId) const { return m_handled.contains(callId); }

    ui::CallWindow *callWindow() const { return m_callWindow; }
    ui::IncomingCallWindow *incomingWindow() const { return m_incomingWindow; }
    CallSounds *sounds() const { return m_sounds; }
    CallSounds *ringer() const { return m_sounds; } // the ring is one of the call sounds
    // The output device the current call's voice plays on (the default while
    // the chosen one is missing); empty without an established call.
    QByteArray callOutputInUse() const;

signals:
    void callWindowOpened(softphone::ui::CallWindow *window);
    void incomingWindowShown(softphone::ui::IncomingCallWindow *window);

private:
    void onIncoming(client::Call *call);
    void track(client::Call *call);
    void openCallWindow(client::Call *call);
    void stopRinging(const QString &callId);
    void followSounds(client::Call *call);
    void attachAudio(client::Call *call);
    // The chosen microphone, with audio processing as Settings says.
    std::shared_ptr<client::DeviceAudioSource> makeSource() const;
    void reattachAudio();
    // Established calls other than `except` (call waiting, switching).
    QList<client::Call *> otherEstablished(const client::Call *except) const;
    void holdOthers(const client::Call *except);
    void updateWaitingTone();
    // Attended transfer offered in the talking call's window while the other is held.
    void offerAttendedTransfer();

    storage::Settings &m_settings;
    storage::CallHistory &m_history;
    QPointer<client::SoftphoneClient> m_client;
    QPointer<ui::CallWindow> m_callWindow;                  // the latest opened
    QHash<QString, QPointer<ui::CallWindow>> m_callWindows; // open windows by call id
    QPointer<ui::IncomingCallWindow> m_incomingWindow;
    QHash<QString, QPointer<client::Call>> m_calls; // not yet ended, by call id
    CallSounds *m_sounds = new CallSounds(this);
    std::weak_ptr<client::DeviceAudioSink> m_lastSink; // owned by the call's MediaSession
    QSet<QString> m_ringingCalls; // incoming, not yet answered, declined or ended
    QHash<QString, QPointer<ui::IncomingCallWindow>> m_incomingWindows; // by call id
    QHash<QString, bool> m_pendingActions; // call id -> answer (true) / decline, not rung yet
    RecentIds m_handled{16};               // see handledCalls()
    void rememberHandled(const QString &callId);
    void applyAction(const QString &callId, bool answer);
};

} // namespace softphone::app
