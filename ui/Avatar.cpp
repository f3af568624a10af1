#include "Avatar.h"

#include "Theme.h"

#include <QCoreApplication>
#include <QFont>
#include <QGuiApplication>
#include <QLabel>
#include <QPainter>
#include <QRegularExpression>
#include <array>

namespace softphone::ui::avatar {

namespace {

// FNV-1a over the UTF-8 bytes: the same number for the same id everywhere.
quint32 stableHash(const QString &text)
{
    quint32 hash = 2166136261u;
    for (const char byte : text.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return hash;
}

} // namespace

QString initials(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("?");
    if (!trimmed.at(0).isLetter() &&
        trimmed.contains(QRegularExpression(QStringLiteral("^[+0-9]"))))
        return QStringLiteral("#");
    static const QRegularExpression separators(QStringLiteral("[\\s._-]+"));
    const QStringList words = trimmed.split(separators, Qt::SkipEmptyParts);
    QString letters;
    for (const QString &word : words) {
        if (word.at(0).isLetterOrNumber())
            letters += word.at(0).toUpper();
        if (letters.size() == 2)
            break;
    }
    return letters.isEmpty() ? QStringLiteral("?") : letters;
}

QColor colour(const QString &userId)
{
    // Twelve hues around the wheel, saturated and dark enough that white
    // letters stay readable on each (and in dark mode).
    static constexpr std::array<int, 12> kHues{0,   25,  45,  90,  140, 165,
                                               190, 210, 235, 260, 285, 320};
    const int hue = kHues[stableHash(userId) % kHues.size()];
    return QColor::fromHsl(hue, 150, 75); // white on each: contrast >= 5:1
}

namespace {

void drawFace(QPainter &painter, const QRectF &square, const QString &userId, const QString &name)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour(userId));
    painter.drawEllipse(square);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qMax(6, int(square.width() * 2 / 5)));
    painter.setFont(font);
    painter.setPen(Qt::white); // every hue is dark enough for white, in both schemes
    painter.drawText(square, Qt::AlignCenter, initials(name.isEmpty() ? userId : name));
}

// The dot sits on the list's background: its ring and holes are the palette's
// base colour, so it reads on a light and on a dark list alike.
void drawPresence(QPainter &painter, const QRectF &square, const Presence &presence,
                  const QPalette &palette)
{
    if (!presence)
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal size = square.width();
    const qreal d = size * 0.4;
    const QRectF dot(square.right() - d, square.bottom() - d, d, d);
    const QColor background = palette.color(QPalette::Base);
    painter.setPen(Qt::NoPen);
    painter.setBrush(background);
    painter.drawEllipse(dot);
    const qreal ring = qMax<qreal>(1.0, d / 6);
    const QRectF inner = dot.adjusted(ring, ring, -ring, -ring);
    painter.setBrush(presenceColour(presence, palette));
    painter.drawEllipse(inner);
    const qreal hole = inner.width() / 4;
    switch (*presence) {
    case protocol::PresenceStatus::Online:
        break;
    case protocol::PresenceStatus::Offline: // a ring: hollow
        painter.setBrush(background);
        painter.drawEllipse(inner.adjusted(hole, hole, -hole, -hole));
        break;
    case protocol::PresenceStatus::DoNotDisturb: // a bar in the background colour
        painter.setBrush(background);
        painter.drawRect(QRectF(inner.left() + hole, inner.center().y() - hole / 2,
                                inner.width() - 2 * hole, hole));
        break;
    }
}

} // namespace

QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio)
{
    const int device = qMax(1, qRound(size * devicePixelRatio));
    QPixmap image(device, device);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(devicePixelRatio);
    QPainter painter(&image);
    drawFace(painter, QRectF(0, 0, size, size), userId, name);
    return image;
}

QColor presenceColour(const Presence &presence, const QPalette &palette)
{
    if (!presence)
        return {};
    switch (*presence) {
    case protocol::PresenceStatus::Online:
        return QColor(0x2e, 0x9d, 0x3a);
    case protocol::PresenceStatus::DoNotDisturb:
        return QColor(0xd2, 0x3c, 0x3c);
    case protocol::PresenceStatus::Offline:
        break;
    }
    // Offline: grey between the text and the background, visible on both schemes.
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    return QColor((text.red() + base.red()) / 2, (text.green() + base.green()) / 2,
                  (text.blue() + base.blue()) / 2);
}

QColor presenceColour(const Presence &presence)
{
    return presenceColour(presence, QGuiApplication::palette());
}

QString presenceText(const Presence &presence)
{
    if (!presence)
        return {};
    switch (*presence) {
    case protocol::PresenceStatus::Online:
        return QCoreApplication::translate("softphone::ui::avatar", "Online");
    case protocol::PresenceStatus::DoNotDisturb:
        return QCoreApplication::translate("softphone::ui::avatar", "Do not disturb");
    case protocol::PresenceStatus::Offline:
        break;
    }
    return QCoreApplication::translate("softphone::ui::avatar", "Offline");
}

QIcon icon(const QString &userId, const QString &name, const Presence &presence, int)
{
    // Drawn when shown, at the pixel ratio and with the palette of that moment.
    return theme::paintedIcon(
        [userId, name, presence](QPainter &painter, const QRectF &rect, const QPalette &palette) {
            const qreal side = qMin(rect.width(), rect.height());
            const QRectF square(rect.center().x() - side / 2, rect.center().y() - side / 2, side,
                                side);
            drawFace(painter, square, userId, name);
            drawPresence(painter, square, presence, palette);
        },
        userId);
}

QLabel *label(const QString &userId, int size, QWidget *parent)
{
    auto *face = new QLabel(parent);
    face->setPixmap(pixmap(userId, {}, size, parent->devicePixelRatioF()));
    face->setAlignment(Qt::AlignCenter);
    return face;
}

QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio,
               const Presence &presence, const QPalette &palette)
{
    QPixmap image = pixmap(userId, name, size, devicePixelRatio);
    QPainter painter(&image);
    drawPresence(painter, QRectF(0, 0, size, size), presence, palette);
    return image;
}

QIcon icon(const QString &userId, const QString &name, int size)
{
    return icon(userId, name, std::nullopt, size);
}

} // namespace softphone::ui::avatar
