#include "ContactPresence.h"

#include "client/Presence.h"
#include "storage/ContactBook.h"
#include "storage/Settings.h"
#include "storage/SharedStateWatcher.h"

namespace softphone::app {

using Key = storage::Settings::Key;

ContactPresence::ContactPresence(client::Presence *presence, storage::ContactBook &contacts,
                                 storage::Settings &settings)
    : QObject(presence)
    , m_presence(presence)
    , m_contacts(contacts)
    , m_settings(settings)
    , m_sharedSettings(new storage::SharedStateWatcher({}, settings.fileName(), this))
{
    connect(&m_contacts, &storage::ContactBook::changed, this, &ContactPresence::subscribe);
    connect(&m_settings, &storage::Settings::changed, this, [this](Key key) {
        if (key == Key::DoNotDisturb)
            publishDoNotDisturb();
    });
    connect(m_sharedSettings, &storage::SharedStateWatcher::settingsChanged, this, [this] {
        m_settings.sync();
        publishDoNotDisturb();
    });
    subscribe();
    publishDoNotDisturb();
}

void ContactPresence::subscribe()
{
    QStringList users;
    for (const storage::Contact &contact : m_contacts.all())
        users.append(contact.userId);
    m_presence->subscribe(users);
}

void ContactPresence::publishDoNotDisturb()
{
    m_presence->setDoNotDisturb(m_settings.flag(Key::DoNotDisturb));
}

} // namespace softphone::app
