#include "QualityBars.h"

#include <QPainter>

namespace softphone::ui {

QualityBars::QualityBars(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("qualityBars"));
    setAccessibleName(tr("Call quality"));
    setToolTip(tr("No figures yet"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void QualityBars::setQuality(const media::CallQuality &quality)
{
    m_bars = quality.bars();
    QString figures = tr("Lost %1 %, jitter %2 ms")
                          .arg(quality.lossPercent + quality.latePercent, 0, 'f', 1)
                          .arg(quality.jitterMs, 0, 'f', 0);
    if (quality.roundTripMs >= 0)
        figures += tr(", round trip %1 ms").arg(quality.roundTripMs, 0, 'f', 0);
    setToolTip(m_bars < 0 ? tr("No figures yet") : figures);
    setAccessibleDescription(m_bars < 0 ? toolTip()
                                        : tr("%1 of 4 bars; %2").arg(m_bars).arg(figures));
    update();
}

void QualityBars::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor on = m_bars >= 3   ? QColor(0x2e, 0x9d, 0x4a)
                      : m_bars >= 2 ? QColor(0xd9, 0x8c, 0x1a)
                                    : QColor(0xc8, 0x32, 0x2b);
    QColor off = palette().color(QPalette::Mid);
    const qreal step = width() / 4.0;
    for (int i = 0; i < 4; ++i) {
        const qreal h = height() * (i + 1) / 4.0;
        const QRectF bar(i * step + 1, height() - h, step - 2, h);
        painter.fillRect(bar, m_bars > i ? on : off);
    }
}

} // namespace softphone::ui
