#pragma once
// A user's face where there is no photo: the initials on a colour that comes
// from the user id, so one person looks the same in the contacts, the history,
// the dialer's completion and the call windows, on every run and every machine
// (a fixed hash of the id, never Qt's seeded qHash).

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

class QLabel;
class QWidget;

namespace softphone::ui::avatar {

// One or two letters: "Ada Lovelace" -> "AL", "alice" -> "A", "bob.smith" ->
// "BS"; a number ("+4930123") -> "#"; empty -> "?".
QString initials(const QString &name);
// The background for userId: one of a fixed set of hues, all dark enough for
// white letters.
QColor colour(const QString &userId);
// A round avatar of size x size logical pixels, drawn at devicePixelRatio.
// name gives the initials (the display name, else the user id).
QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio = 1.0);
// A centred label with userId's avatar at the parent's pixel ratio (call windows).
QLabel *label(const QString &userId, int size, QWidget *parent);
// The same as an icon, drawn at 1x and 2x for lists.
QIcon icon(const QString &userId, const QString &name, int size = 24);

} // namespace softphone::ui::avatar
