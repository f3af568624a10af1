#include "InputLevelMeter.h"

#include <algorithm>
#include <cmath>

namespace softphone::media {

InputLevelMeter::InputLevelMeter(QObject *parent)
    : QObject(parent)
{}

InputLevelMeter::~InputLevelMeter()
{
    m_io.stop();
}

void InputLevelMeter::start(const QByteArray &inputId)
{
    m_running = true;
    m_io.startCapture(inputId, [this](std::span<const int16_t> block) { measure(block); });
}

void InputLevelMeter::stop()
{
    m_running = false;
    m_io.stop();
    if (m_level != 0) {
        m_level = 0;
        emit levelChanged(0);
    }
}

double InputLevelMeter::rmsDbfs(std::span<const int16_t> block)
{
    if (block.empty())
        return kFloorDbfs;
    double sum = 0;
    for (const int16_t s : block)
        sum += double(s) * s;
    const double rms = std::sqrt(sum / double(block.size())) / 32768.0;
    return rms > 0 ? std::max(kFloorDbfs, 20 * std::log10(rms)) : kFloorDbfs;
}

double InputLevelMeter::scaled(double dbfs)
{
    return std::clamp((dbfs - kFloorDbfs) / -kFloorDbfs, 0.0, 1.0);
}

void InputLevelMeter::measure(std::span<const int16_t> block)
{
    const double now = scaled(rmsDbfs(block));
    const double next = std::max(now, m_level - kFallPerBlock);
    if (next == m_level)
        return;
    m_level = next;
    emit levelChanged(m_level);
}

} // namespace softphone::media
