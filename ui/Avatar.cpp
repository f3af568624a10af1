#include "Avatar.h"

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

QLabel *label(const QString &userId, int size, QWidget *parent)
{
    auto *face = new QLabel(parent);
    face->setPixmap(pixmap(userId, {}, size, parent->devicePixelRatioF()));
    face->setAlignment(Qt::AlignCenter);
    return face;
}

QIcon icon(const QString &userId, const QString &name, int size)
{
    QIcon result;
    result.addPixmap(pixmap(userId, name, size, 1.0));
    result.addPixmap(pixmap(userId, name, size, 2.0));
    return result;
}

} // namespace softphone::ui::avatar
