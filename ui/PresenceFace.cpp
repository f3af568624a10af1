#include "PresenceFace.h"

#include "client/Presence.h"

namespace softphone::ui {

PresenceFace::PresenceFace(const QString &userId, int size, QWidget *parent)
    : QLabel(parent)
    , m_userId(userId)
    , m_size(size)
{
    setAlignment(Qt::AlignCenter);
    redraw();
}

void PresenceFace::setPresence(client::Presence *presence)
{
    if (m_presence)
        m_presence->disconnect(this);
    m_presence = presence;
    if (presence)
        connect(presence, &client::Presence::statusChanged, this, [this](const QString &user) {
            if (user == m_userId)
                redraw();
        });
    redraw();
}

avatar::Presence PresenceFace::presence() const
{
    return m_presence ? m_presence->status(m_userId) : std::nullopt;
}

void PresenceFace::redraw()
{
    const avatar::Presence status = presence();
    setPixmap(avatar::pixmap(m_userId, {}, m_size, devicePixelRatioF(), status, palette()));
    setToolTip(avatar::presenceText(status));
    setAccessibleDescription(avatar::presenceText(status));
}

} // namespace softphone::ui
