#include "Theme.h"

#include "common/DevicePixmap.h"

#include <QApplication>
#include <QIconEngine>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>
#include <cmath>
#include <memory>

namespace softphone::ui::theme {

namespace {

struct State
{
    std::optional<QPalette> platform; // what the platform theme gave, kept at the first apply()
    Scheme scheme = Scheme::System;
    DesktopPreference desktop = DesktopPreference::None;
    bool applied = false; // apply() was called: a preference change re-applies
};

State &state()
{
    static State s;
    return s;
}

// Draws with a Painter at whatever size and ratio QIcon asks for, never
// scaling a smaller picture up.
class PaintedEngine : public QIconEngine
{
public:
    PaintedEngine(Painter paint, QString key)
        : m_paint(std::move(paint))
        , m_key(std::move(key))
    {}
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QPalette palette = QGuiApplication::palette();
        if (mode == QIcon::Disabled)
            palette.setCurrentColorGroup(QPalette::Disabled);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setRenderHint(QPainter::TextAntialiasing);
        m_paint(*painter, QRectF(rect), palette);
        painter->restore();
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override
    {
        return devicePixmap(size, scale, [&](QPainter &painter, const QRect &rect) {
            paint(&painter, rect, mode, state);
        });
    }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        return {{16, 16}, {24, 24}, {32, 32}, {48, 48}, {64, 64}};
    }
    QIconEngine *clone() const override { return new PaintedEngine(m_paint, m_key); }
    QString key() const override { return QStringLiteral("softphone-painted"); }
    bool isNull() override { return !m_paint; }

private:
    Painter m_paint;
    QString m_key;
};

double relativeLuminance(const QColor &colour)
{
    auto channel = [](double c) {
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = colour.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) +
           0.0722 * channel(rgb.blueF());
}

} // namespace

std::optional<Scheme> schemeNamed(const QString &name)
{
    for (const Scheme scheme : {Scheme::System, Scheme::Light, Scheme::Dark}) {
        if (name.compare(nameOf(scheme), Qt::CaseInsensitive) == 0)
            return scheme;
    }
    return std::nullopt;
}

QString nameOf(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Light:
        return QStringLiteral("light");
    case Scheme::Dark:
        return QStringLiteral("dark");
    case Scheme::System:
        break;
    }
    return QStringLiteral("system");
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette lightPalette()
{
    // Fusion's own light palette (what Qt uses without a platform theme).
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf7, 0xf7));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x00, 0x5a, 0xb4));
    p.setColor(QPalette::PlaceholderText, QColor(0x70, 0x70, 0x70));
    return p;
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2b, 0x2e);
    const QColor text(0xe8, 0xe8, 0xea);
    const QColor disabledText(0x85, 0x85, 0x8a);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x2a));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3f));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0xa0));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x45));
    p.setColor(QPalette::Mid, QColor(0x5c, 0x5c, 0x63));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xd8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb8, 0x9c, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(0x30, 0x30, 0x34));
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x55));
    return p;
}

void apply(Scheme scheme)
{
    State &s = state();
    if (!s.platform)
        s.platform = QGuiApplication::palette();
    s.scheme = scheme;
    s.applied = true;
    QPalette palette;
    switch (scheme) {
    case Scheme::Light:
        palette = lightPalette();
        break;
    case Scheme::Dark:
        palette = darkPalette();
        break;
    case Scheme::System:
        palette = *s.platform;
        if (s.desktop == DesktopPreference::Dark && !isDark(palette))
            palette = darkPalette();
        else if (s.desktop == DesktopPreference::Light && isDark(palette))
            palette = lightPalette();
        break;
    }
    QApplication::setPalette(palette);
}

void setDesktopPreference(DesktopPreference preference)
{
    State &s = state();
    if (s.desktop == preference)
        return;
    s.desktop = preference;
    if (s.applied && s.scheme == Scheme::System)
        apply(Scheme::System);
}

DesktopPreference desktopPreference()
{
    return state().desktop;
}

Scheme current()
{
    return state().scheme;
}

QColor alertColour(const QPalette &palette)
{
    const bool darkBase = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(0, 190, darkBase ? 170 : 105);
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QIcon paintedIcon(Painter paint, const QString &key)
{
    return QIcon(new PaintedEngine(std::move(paint), key));
}

QIcon svgIcon(const QString &file, bool symbolic)
{
    auto renderer = std::make_shared<QSvgRenderer>(file);
    return paintedIcon(
        [renderer, symbolic](QPainter &painter, const QRectF &rect, const QPalette &palette) {
            if (!renderer->isValid())
                return;
            // Square, centred, the SVG's own aspect kept.
            const qreal side = qMin(rect.width(), rect.height());
            const QRectF square(rect.center().x() - side / 2, rect.center().y() - side / 2, side,
                                side);
            if (!symbolic) {
                if (palette.currentColorGroup() == QPalette::Disabled)
                    painter.setOpacity(0.45);
                renderer->render(&painter, square);
                return;
            }
            // One colour: the drawing's shape filled with the text colour.
            const QSize pixels = (square.size() * painter.device()->devicePixelRatioF()).toSize();
            QImage shape(pixels, QImage::Format_ARGB32_Premultiplied);
            shape.fill(Qt::transparent);
            {
                QPainter p(&shape);
                renderer->render(&p, QRectF(QPointF(0, 0), QSizeF(pixels)));
                p.setCompositionMode(QPainter::CompositionMode_SourceIn);
                p.fillRect(shape.rect(), palette.color(QPalette::WindowText));
            }
            painter.drawImage(square, shape);
        },
        file);
}

} // namespace softphone::ui::theme
