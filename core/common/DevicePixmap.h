#pragma once
// What a QIconEngine's scaledPixmap() returns for vector art: a picture drawn
// at the device's own pixels, never a smaller one scaled up (blur at 2x).
// Shared by the GUI's painted icons (ui/Theme) and the tray's icon engine
// (the tray links core, never ui). Header only: its users link Qt Gui.

#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSize>
#include <utility>

namespace softphone {

// paint(QPainter &, const QRect &) draws into the whole rectangle it is given.
template<typename Paint> QPixmap devicePixmap(const QSize &size, qreal scale, Paint &&paint)
{
    // Before Qt 6.8 QIcon passes the size in device pixels already, since then in logical ones.
    scale = qMax(scale, 1.0);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    const QSize pixels = (QSizeF(size) * scale).toSize();
#else
    Q_UNUSED(scale);
    const QSize pixels = size;
#endif
    if (pixels.isEmpty())
        return {};
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        std::forward<Paint>(paint)(painter, image.rect());
    }
    return QPixmap::fromImage(std::move(image));
}

} // namespace softphone
