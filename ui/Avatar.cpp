#include "Avatar.h"

#include <QCoreApplication>
#include <QFont>
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

QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio)
{
    const int device = qMax(1, qRound(size * devicePixelRatio));
    QPixmap image(device, device);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(devicePixelRatio);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour(userId));
    painter.drawEllipse(QRectF(0, 0, size, size));
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qMax(6, size * 2 / 5));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(QRectF(0, 0, size, size), Qt::AlignCenter,
                     initials(name.isEmpty() ? userId : name));
    return image;
}

namespace {

void drawPresence(QPixmap &image, int size, const Presence &presence)
{
    if (!presence)
        return;
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal d = size * 0.4;
    const QRectF dot(size - d, size - d, d, d);
    // A white ring around the dot keeps it apart from the face on any colour.
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::white);
    painter.drawEllipse(dot);
    const qreal ring = qMax<qreal>(1.0, d / 6);
    const QRectF inner = dot.adjusted(ring, ring, -ring, -ring);
    painter.setBrush(presenceColour(presence));
    painter.drawEllipse(inner);
    const qreal hole = inner.width() / 4;
    switch (*presence) {
    case protocol::PresenceStatus::Online:
        break;
    case protocol::PresenceStatus::Offline: // a ring: hollow
        painter.setBrush(Qt::white);
        painter.drawEllipse(inner.adjusted(hole, hole, -hole, -hole));
        break;
    case protocol::PresenceStatus::DoNotDisturb: // a white bar
        painter.setBrush(Qt::white);
        painter.drawRect(QRectF(inner.left() + hole, inner.center().y() - hole / 2,
                                inner.width() - 2 * hole, hole));
        break;
    }
}

} // namespace

QColor presenceColour(const Presence &presence)
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
    return QColor(0x8c, 0x8c, 0x8c);
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

QIcon icon(const QString &userId, const QString &name, const Presence &presence, int size)
{
    QIcon result;
    for (const qreal ratio : {1.0, 2.0})
        result.addPixmap(pixmap(userId, name, size, ratio, presence));
    return result;
}

QLabel *label(const QString &userId, int size, QWidget *parent)
{
    auto *face = new QLabel(parent);
    face->setPixmap(pixmap(userId, {}, size, parent->devicePixelRatioF()));
    face->setAlignment(Qt::AlignCenter);
    return face;
}

QPixmap pixmap(const QString &userId, const QString &name, int size, qreal devicePixelRatio,
               const Presence &presence)
{
    QPixmap image = pixmap(userId, name, size, devicePixelRatio);
    drawPresence(image, size, presence);
    return image;
}

QIcon icon(const QString &userId, const QString &name, int size)
{
    return icon(userId, name, std::nullopt, size);
}

} // namespace softphone::ui::avatar
