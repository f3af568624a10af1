#include "TrayIconEngine.h"

#include "common/DevicePixmap.h"

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>
#include <cmath>

namespace softphone::tray {

namespace {
const QColor kBadgeFill(0xd3, 0x2f, 0x2f);
const QColor kBadgeText(Qt::white);
} // namespace

TrayIconEngine::TrayIconEngine(const QString &svgFile, const QString &badge)
    : m_svgFile(svgFile)
    , m_badge(badge)
    , m_renderer(std::make_unique<QSvgRenderer>(svgFile))
{}

TrayIconEngine::~TrayIconEngine() = default;

void TrayIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State)
{
    const int side = qMin(rect.width(), rect.height());
    if (side <= 0)
        return;
    const QRectF square(rect.x() + (rect.width() - side) / 2.0,
                        rect.y() + (rect.height() - side) / 2.0, side, side);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    if (mode == QIcon::Disabled)
        painter->setOpacity(0.5);
    if (m_renderer->isValid())
        m_renderer->render(painter, square);

    const QString &text = m_badge;
    if (!text.isEmpty()) {
        // Top right, a bit more than half the icon: readable at 16 px, not hiding the state colour.
        const qreal diameter = std::round(side * 0.58);
        QRectF badge(square.right() - diameter, square.top(), diameter, diameter);
        if (text.size() > 1)
            badge.adjust(-diameter * 0.25, 0, 0, 0); // a pill for "9+"
        const qreal outline = qMax(1.0, side / 22.0);
        painter->setPen(QPen(kBadgeText, outline));
        painter->setBrush(kBadgeFill);
        painter->drawRoundedRect(
            badge.adjusted(outline / 2, outline / 2, -outline / 2, -outline / 2), diameter / 2,
            diameter / 2);
        QFont font = painter->font();
        font.setBold(true);
        font.setPixelSize(qMax(6, int(std::round(diameter * 0.7))));
        painter->setFont(font);
        painter->setPen(kBadgeText);
        painter->drawText(badge, Qt::AlignCenter, text);
    }
    painter->restore();
}

QPixmap TrayIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1.0);
}

QPixmap TrayIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                                     qreal scale)
{
    return devicePixmap(size, scale, [&](QPainter &painter, const QRect &rect) {
        paint(&painter, rect, mode, state);
    });
}

QSize TrayIconEngine::actualSize(const QSize &size, QIcon::Mode, QIcon::State)
{
    return size; // vector art: any size
}

QList<QSize> TrayIconEngine::availableSizes(QIcon::Mode, QIcon::State)
{
    // What a StatusNotifier host is sent as pixmaps: the usual panel sizes, 1x and 2x.
    return {{16, 16}, {22, 22}, {24, 24}, {32, 32}, {44, 44}, {48, 48}, {64, 64}};
}

QIconEngine *TrayIconEngine::clone() const
{
    return new TrayIconEngine(m_svgFile, m_badge);
}

QString TrayIconEngine::key() const
{
    return QStringLiteral("softphone-tray");
}

bool TrayIconEngine::isNull()
{
    return !m_renderer->isValid();
}

} // namespace softphone::tray
