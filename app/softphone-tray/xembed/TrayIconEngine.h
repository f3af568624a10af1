#pragma once
// What the tray icon looks like, drawn at whatever size and pixel ratio the
// tray host asks for: the state's SVG (resources/icons/softphone-tray-*.svg,
// rendered by QSvgRenderer, so it stays sharp at 2x) and, when calls were
// missed, a red badge with their count in the top right corner (QPainter;
// "9+" past nine). The XEmbed face builds one per change: QIcon(new TrayIconEngine(...)).

#include <QIconEngine>
#include <QString>
#include <memory>

class QSvgRenderer;

namespace softphone::tray {

class TrayIconEngine : public QIconEngine
{
public:
    // svgFile: a file or resource path (":/tray/softphone-tray-online.svg");
    // badge: its text (TrayIcon::badgeText), "" for none.
    TrayIconEngine(const QString &svgFile, const QString &badge);
    ~TrayIconEngine() override;

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override;
    QIconEngine *clone() const override;
    QString key() const override;
    bool isNull() override;

private:
    QString m_svgFile;
    QString m_badge;
    std::unique_ptr<QSvgRenderer> m_renderer;
};

} // namespace softphone::tray
