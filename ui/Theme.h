#pragma once
// Light and dark: the colour scheme of the whole app and the pictures it
// draws itself. "System" keeps the palette the platform theme gave Qt (the
// desktop's colours), unless the desktop's colour-scheme preference says
// otherwise: Qt 6.4 reads none, so the app hands in the XDG portal's
// (setDesktopPreference) and a light platform palette with "prefers dark"
// becomes our dark one (and a dark one with "prefers light" our light one).
// "Light" and "Dark" are our palettes, whatever the desktop says.
// What we paint (avatars, presence dots, quality bars, warnings, symbolic
// icons) takes its colours from the palette at paint time, so a change of
// scheme repaints it right. Icons are drawn from SVG at the size and pixel
// ratio asked for: sharp at 2x.

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>
#include <functional>
#include <optional>

class QPainter;
class QRectF;

namespace softphone::ui::theme {

enum class Scheme { System, Light, Dark };

// "system", "light", "dark" (the --style option and the setting); nullopt otherwise.
std::optional<Scheme> schemeNamed(const QString &name);
QString nameOf(Scheme scheme);

// Sets the application palette for scheme.
void apply(Scheme scheme);
// What apply() was last asked for (System before any call).
Scheme current();

// The desktop's colour-scheme preference (org.freedesktop.appearance color-scheme).
enum class DesktopPreference { None, Dark, Light };
// Remembers the preference; when System is applied, the palette follows it at once.
void setDesktopPreference(DesktopPreference preference);
DesktopPreference desktopPreference();

bool isDark(const QPalette &palette);
QPalette lightPalette();
QPalette darkPalette();

// Red for warnings and missed calls that reads well on the palette's window and base.
QColor alertColour(const QPalette &palette);
// WCAG 2 contrast ratio of two colours (1 to 21); readable text has >= 4.5.
double contrast(const QColor &a, const QColor &b);

// An icon drawn on demand at the requested size and pixel ratio, with the
// application palette of that moment (disabled icons get the Disabled group).
using Painter = std::function<void(QPainter &painter, const QRectF &rect, const QPalette &palette)>;
QIcon paintedIcon(Painter paint, const QString &key);
// An SVG resource as an icon. symbolic: a one-colour drawing shown in the
// palette's text colour (mute); otherwise in its own colours (call, hang up).
QIcon svgIcon(const QString &file, bool symbolic = false);

} // namespace softphone::ui::theme
