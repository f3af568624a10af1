#include "PulseAudioSupport.h"

#include <QTest>

#include <cstring>

namespace softphone::test {

namespace {
constexpr int kRate = 48000;
}

QString pactl(const QStringList &args, bool *ok)
{
    QProcess p;
    p.start(QStringLiteral("pactl"), args);
    const bool done = p.waitForFinished(10000) && p.exitCode() == 0;
    if (ok)
        *ok = done;
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString loadNullSink(const QString &name, const QString &description)
{
    bool ok = false;
    const QString id = pactl({QStringLiteral("load-module"), QStringLiteral("module-null-sink"),
                              QStringLiteral("sink_name=") + name,
                              QStringLiteral("sink_properties=device.description=") + description},
                             &ok);
    return ok ? id : QString();
}

QString loadMicrophone(const QString &name, const QString &feedSink, const QString &description,
                       QString *why)
{
    bool ok = false;
    const QString id =
        pactl({QStringLiteral("load-module"), QStringLiteral("module-remap-source"),
               QStringLiteral("source_name=") + name,
               QStringLiteral("master=") + feedSink + QStringLiteral(".monitor"),
               QStringLiteral("source_properties=device.description=") + description},
              &ok);
    if (!ok && why)
        *why = id;
    return ok ? id : QString();
}

MonitorRecorder::MonitorRecorder(const QString &sink)
{
    m_process.start(QStringLiteral("parec"),
                    {QStringLiteral("-d"), sink + QStringLiteral(".monitor"),
                     QStringLiteral("--format=s16le"), QStringLiteral("--rate=48000"),
                     QStringLiteral("--channels=1"), QStringLiteral("--latency-msec=20")});
    m_process.waitForStarted(5000);
}

MonitorRecorder::~MonitorRecorder()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

std::vector<int16_t> MonitorRecorder::take(int waitMs)
{
    const qint64 wanted = qint64(waitMs) * (kRate / 1000) * 2;
    for (int waited = 0; m_process.bytesAvailable() < wanted && waited < waitMs + 5000;
         waited += 50)
        QTest::qWait(50);
    const QByteArray bytes = m_process.readAllStandardOutput();
    m_process.kill();
    m_process.waitForFinished(5000);
    std::vector<int16_t> out(size_t(bytes.size()) / 2);
    if (!out.empty())
        std::memcpy(out.data(), bytes.constData(), out.size() * 2);
    return out;
}

std::vector<int16_t> recordMonitor(const QString &sink, int ms)
{
    return MonitorRecorder(sink).take(ms);
}

} // namespace softphone::test
