#pragma once
// Calls as the user meets them: places outgoing calls with a call window,
// presents incoming ones (or declines them under do-not-disturb), opens the
// call window on answer, and writes every ended call to the history.

#include "Call.h"
#include "CallWindow.h"
#include "IncomingCallWindow.h"
#include "Ringer.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace softphone::client {
class SoftphoneClient;
}
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
    bool placeCall(const QString &user, QString *reason = nullptr);
    bool hasActiveCalls() const;

    ui::CallWindow *callWindow() const { return m_callWindow; }
    ui::IncomingCallWindow *incomingWindow() const { return m_incomingWindow; }
    ui::Ringer *ringer() const { return m_ringer; }

signals:
    void callWindowOpened(softphone::ui::CallWindow *window);
    void incomingWindowShown(softphone::ui::IncomingCallWindow *window);

private:
    void onIncoming(client::Call *call);
    void track(client::Call *call);
    void openCallWindow(client::Call *call);
    void stopRinging(const QString &callId);

    storage::Settings &m_settings;
    storage::CallHistory &m_history;
    QPointer<client::SoftphoneClient> m_client;
    QPointer<ui::CallWindow> m_callWindow;
    QPointer<ui::IncomingCallWindow> m_incomingWindow;
    QHash<QString, QPointer<client::Call>> m_calls; // not yet ended, by call id
    ui::Ringer *m_ringer = new ui::Ringer(this);
    QSet<QString> m_ringingCalls; // incoming, not yet answered, declined or ended
};

} // namespace softphone::app
