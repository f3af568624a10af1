#pragma once
// The remote user's avatar in the call windows (incoming and in progress),
// with the presence dot of the avatar lists (Avatar.h): it follows the
// signed-in client's presence for that one user, so the call windows show
// who is online, offline or in do not disturb the same way the contacts do.

#include "Avatar.h"

#include <QLabel>
#include <QPointer>

namespace softphone::client {
class Presence;
}

namespace softphone::ui {

class PresenceFace : public QLabel
{
    Q_OBJECT

public:
    PresenceFace(const QString &userId, int size, QWidget *parent);

    // Whose presence the dot shows (the signed-in client's); null: no dot.
    void setPresence(client::Presence *presence);
    avatar::Presence presence() const;

private:
    void redraw();

    QString m_userId;
    int m_size;
    QPointer<client::Presence> m_presence;
};

} // namespace softphone::ui
