#include "Ringer.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QIODevice>
#include <QMediaDevices>
#include <QtMath>
#include <cstring>

namespace softphone::ui {

namespace {

constexpr int kRate = 16000;

// An endless ring cadence, generated as it is read (no buffer to loop).
class RingSource : public QIODevice
{
public:
    RingSource() { open(QIODevice::ReadOnly); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return 4096 + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 samples = maxSize / 2;
        for (qint64 i = 0; i < samples; ++i, ++m_position) {
            const qint64 inCycle = m_position % (3 * kRate); // 1 s ring, 2 s silence
            qint16 value = 0;
            if (inCycle < kRate) {
                const double t = double(m_position) / kRate;
                value = qint16(6000 * (qSin(2 * M_PI * 440 * t) + qSin(2 * M_PI * 480 * t)));
            }
            std::memcpy(data + 2 * i, &value, 2);
        }
        return samples * 2;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_position = 0;
};

QAudioDevice ringerDevice(const QString &id)
{
    if (!id.isEmpty()) {
        for (const QAudioDevice &d : QMediaDevices::audioOutputs()) {
            if (QString::fromUtf8(d.id()) == id)
                return d;
        }
    }
    return QMediaDevices::defaultAudioOutput();
}

} // namespace

Ringer::Ringer(QObject *parent)
    : QObject(parent)
{}

Ringer::~Ringer()
{
    stop();
}

void Ringer::start(const QString &deviceId)
{
    if (m_ringing)
        return;
    QAudioFormat format;
    format.setSampleRate(kRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    // Without any output device the call still rings visibly; ringing is the state, sound is a
    // bonus.
    const QAudioDevice device = ringerDevice(deviceId);
    if (!device.isNull()) {
        m_sink = std::make_unique<QAudioSink>(device, format);
        m_source = std::make_unique<RingSource>();
        m_sink->start(m_source.get());
    }
    m_ringing = true;
    emit ringingChanged(true);
}

void Ringer::stop()
{
    if (!m_ringing)
        return;
    if (m_sink)
        m_sink->stop();
    m_sink.reset();
    m_source.reset();
    m_ringing = false;
    emit ringingChanged(false);
}

} // namespace softphone::ui
