#pragma once
// A user's face where there is no photo: the initials on a colour that comes
// from the user id, so one person looks the same in the contacts, the history,
// the dialer's completion and the call windows, on every run and every machine
// (a fixed hash of the id, never Qt's seeded qHash).

#include "protocol/PresenceStatus.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QPixmap>
#include <QString>
#include <optional>

class QLabel;
class QWidget;

namespace softphone::ui::avatar {

// One or two letters: "Ada Lovelace" -> "AL", "alice" -> "A", "bob.smith" ->
// "BS"; a number ("+4930123") -> "#"; empty -> "?".
QString initials(const QString &name);
// The background for userId: one of a fixed set of hues, all dark enough for
// white letters.
QColor colour(const QString &userId);
// A round avatar of size x size logical pixels, drawn at devicePixelRatio
// (white letters: every hue reads in the light and the dark scheme).
// name gives the initials (the display name, else the user id).
QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio = 1.0);
// A centred label with userId's avatar at the parent's pixel ratio (call windows).
QLabel *label(const QString &userId, int size, QWidget *parent);
// The same as an icon, drawn when shown at the pixel ratio asked for (lists).
QIcon icon(const QString &userId, const QString &name, int size = 24);

// Presence (docs/protocol.md "Presence") drawn on the avatar: a dot at the
// bottom right, green and filled for online, red with a bar for do not
// disturb, a grey ring for offline (shapes differ, not only colours); no dot
// while the status is unknown. The dot's ring, holes and bar are the
// palette's base colour at paint time (light or dark lists).
using Presence = std::optional<protocol::PresenceStatus>;
QIcon icon(const QString &userId, const QString &name, const Presence &presence, int size = 24);
// The dot's colour (invalid for unknown) on a palette (offline's grey sits
// between its text and base colours), for the icon and for tests; without
// one, the application's palette.
QColor presenceColour(const Presence &presence, const QPalette &palette);
QColor presenceColour(const Presence &presence);
// "Online", "Offline", "Do not disturb"; empty while unknown.
QString presenceText(const Presence &presence);
// pixmap() with the presence dot on `palette`'s background (PresenceFace in
// the call windows passes its own).
QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio,
               const Presence &presence, const QPalette &palette);

// A list entry's face and presence: the icon, the tooltip and the accessible
// description (QListWidgetItem, QStandardItem).
template<typename Item>
void decorate(Item *item, const QString &userId, const QString &name, const Presence &presence)
{
    item->setIcon(icon(userId, name, presence));
    item->setToolTip(presenceText(presence));
    if constexpr (requires { item->setAccessibleDescription(QString()); })
        item->setAccessibleDescription(presenceText(presence)); // QStandardItem
    else
        item->setData(Qt::AccessibleDescriptionRole, presenceText(presence));
}

} // namespace softphone::ui::avatar
