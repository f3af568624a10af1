#pragma once
// The window of one call that is ours to talk on: outgoing ("Calling...",
// "Ringing...", then a running timer) or an incoming call once answered.
// Hang up (Esc), Mute (Alt+M; while muted "Microphone off" is shown, and said
// to assistive technology), keypad (its keys, or digits typed while it is
// open, go to the other side as DTMF: Call::sendDigit; the digits the other
// side presses, as events or tones, are shown under it), Hold/Resume ("On hold" says who holds the
// call), Transfer to another user (blind), and, while the app holds another
// call of ours, Transfer that call's party to this one's (attended; the
// outcome is shown on the held call's window). The remote's avatar shows
// their presence while the client watches them. After the end it shows why
// ("Declined", "No answer", "Connection lost", ...) for a few seconds, then closes.

#include "client/Call.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace softphone::client {
class Presence;
}

namespace softphone::ui {

class Keypad;
class PresenceFace;
class QualityBars;

class CallWindow : public QWidget
{
    Q_OBJECT

public:
    explicit CallWindow(client::Call *call, QWidget *parent = nullptr);

    client::Call *call() const { return m_call; }
    QString statusText() const;
    // A line under the status for what the user should know during the call
    // (the app's DeviceWarning: a chosen microphone or speaker is missing).
    void addWarning(QWidget *warning);
    // How long the end cause stays on screen (tests shorten or lengthen it).
    void setLingerAfterEnd(std::chrono::milliseconds linger) { m_linger = linger; }
    // Whose presence the avatar shows (the signed-in client's); null: none.
    void setPresence(client::Presence *presence);
    // Attended transfer: `held` is our other call, held, whose party the
    // "Transfer A to B" button connects with this call's; null hides it.
    void offerAttendedTransfer(client::Call *held);
    QString transferStatusText() const;

signals:
    // The call ended and the window is closing (it deletes itself on close).
    void finished();
    // The user resumes this call: emitted just before the resume is sent, so
    // the app can put its other calls on hold first (one conversation at a time).
    void resuming(softphone::client::Call *call);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void updateState();
    void updateHold();
    void tick();
    void showMuted(bool muted);
    void describe();
    void showTransferOutcome(bool connected, const QString &cause);
    void pressDigit(const QString &key);
    void showDigitReceived(QChar digit);

    QPointer<client::Call> m_call;
    bool m_outgoing;
    QLabel *m_remote;
    QLabel *m_subject;
    QLabel *m_status;
    QPushButton *m_mute;
    QWidget *m_microphoneOff; // icon and "Microphone off", shown while muted
    QPushButton *m_keypadToggle;
    QPushButton *m_hold;
    QLabel *m_holdStatus;
    QLineEdit *m_transferTarget;
    QPushButton *m_transfer;
    QPushButton *m_attendedTransfer; // hidden unless offerAttendedTransfer()
    QPointer<client::Call> m_heldForTransfer;
    QLabel *m_transferStatus;
    PresenceFace *m_face;
    QPushButton *m_hangup;
    Keypad *m_keypad;
    QLabel *m_digitsSent;     // the digits pressed so far, under the status
    QLabel *m_digitsReceived; // the digits the other side pressed ("Received: 12#")
    QString m_received;
    QualityBars *m_quality;
    QTimer m_clock;
    QDateTime m_establishedAt;
    std::chrono::milliseconds m_linger{3000};
    bool m_ended = false;
};

} // namespace softphone::ui
