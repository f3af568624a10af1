#pragma once
// The microphone check of the Settings page: captures the chosen input (through
// DeviceAudioIO, so a missing device falls back to the default as a call's
// does) while the page is open and reports how loud it is, as a VU meter
// shows it: each 20 ms block's RMS level on a -60..0 dBFS scale mapped to
// 0..1, rising at once and falling by at most kFallPerBlock per block.

#include "DeviceAudioIO.h"

#include <QByteArray>
#include <QObject>
#include <cstdint>
#include <span>

namespace softphone::media {

class InputLevelMeter : public QObject
{
    Q_OBJECT
public:
    static constexpr double kFloorDbfs = -60; // shown as 0
    static constexpr double kFallPerBlock = 0.03;

    explicit InputLevelMeter(QObject *parent = nullptr);
    ~InputLevelMeter() override;

    // Empty id = System default. Replaces a capture already running.
    void start(const QByteArray &inputId);
    void stop();
    bool isRunning() const { return m_running; }
    double level() const { return m_level; } // 0..1
    // The device captured now (the default while the chosen one is missing).
    QByteArray deviceInUse() const { return m_io.inputDeviceId(); }

    // One block's RMS level in dBFS (kFloorDbfs for silence), and that level on the 0..1 scale.
    static double rmsDbfs(std::span<const int16_t> block);
    static double scaled(double dbfs);

signals:
    void levelChanged(double level);

private:
    void measure(std::span<const int16_t> block);

    DeviceAudioIO m_io;
    double m_level = 0;
    bool m_running = false;
};

} // namespace softphone::media
