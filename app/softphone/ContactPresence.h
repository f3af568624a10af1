#pragma once
// Keeps the signed-in client's presence in step with the app: the contacts
// are what the device watches (docs/protocol.md "Presence"), and the do not
// disturb setting, which the Settings page and the tray's menu share through
// the settings file, is this device's published status.

#include <QObject>

namespace softphone::client {
class Presence;
}
namespace softphone::storage {
class ContactBook;
class Settings;
class SharedStateWatcher;
} // namespace softphone::storage

namespace softphone::app {

class ContactPresence : public QObject
{
    Q_OBJECT

public:
    // Lives as long as `presence` (its parent); subscribes at once.
    ContactPresence(client::Presence *presence, storage::ContactBook &contacts,
                    storage::Settings &settings);

private:
    void subscribe();
    void publishDoNotDisturb();

    client::Presence *m_presence;
    storage::ContactBook &m_contacts;
    storage::Settings &m_settings;
    storage::SharedStateWatcher *m_sharedSettings; // the tray's changes to the file
};

} // namespace softphone::app
