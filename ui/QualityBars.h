#pragma once
// The call window's quality indicator: 0-4 bars from the receive figures
// (media::CallQuality::bars), the figures themselves in the tooltip and the
// accessible description, grey bars while there is no verdict yet.

#include "media/CallQuality.h"

#include <QWidget>

namespace softphone::ui {

class QualityBars : public QWidget
{
    Q_OBJECT
public:
    explicit QualityBars(QWidget *parent = nullptr);

    void setQuality(const media::CallQuality &quality);
    int bars() const { return m_bars; } // -1: no verdict yet
    QSize sizeHint() const override { return {28, 18}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_bars = -1;
};

} // namespace softphone::ui
