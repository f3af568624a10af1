#pragma once
// An incoming call: comes to the front with the caller and the headers they
// sent (e.g. subject); Answer (Enter) or Decline (Esc). When the caller gives
// up or another of the user's devices answers, it says so briefly and closes.
// During another call (call waiting) it offers "Hold and answer" (Enter),
// "End and answer" and "Decline". The caller's avatar shows their presence.

#include "client/Call.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace softphone::client {
class Presence;
}

namespace softphone::ui {

class PresenceFace;

class IncomingCallWindow : public QWidget
{
    Q_OBJECT

public:
    explicit IncomingCallWindow(client::Call *call, QWidget *parent = nullptr);

    client::Call *call() const { return m_call; }
    QString statusText() const;
    void setLingerAfterEnd(std::chrono::milliseconds linger) { m_linger = linger; }
    // Show and raise without taking the keyboard focus: what the user is typing
    // elsewhere stays where it is typed (the ring and the notification say a
    // call is there). Once the user focuses the window, Enter answers and Esc
    // declines; the notification's actions work without focus.
    void present();
    // What the buttons do (also the desktop notification's actions): answer
    // emits answered(); both close the window. No-ops once the ring is over.
    void answer();
    void decline();
    // Call waiting: the user is in another call. Answer becomes "Hold and
    // answer" and "End and answer" appears; answering emits answering() with
    // what to do with the other calls before the answer goes out.
    void setCallWaiting(bool waiting);
    // Whose presence the caller's avatar shows (the signed-in client's).
    void setPresence(client::Presence *presence);
    bool isCallWaiting() const { return m_waiting; }
    void endAndAnswer();

signals:
    // About to answer: the app holds (endOthers false) or ends its other calls.
    void answering(softphone::client::Call *call, bool endOthers);
    // The user answered: the app opens the call window.
    void answered(softphone::client::Call *call);
    void finished();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void updateState();
    void answerEnding(bool endOthers);

    QPointer<client::Call> m_call;
    QLabel *m_status;
    PresenceFace *m_face;
    QPushButton *m_answer;
    QPushButton *m_decline;
    QPushButton *m_endAnswer;
    bool m_waiting = false;
    std::chrono::milliseconds m_linger{3000};
    bool m_done = false;
};

} // namespace softphone::ui
