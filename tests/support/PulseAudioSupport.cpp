#include "PulseAudioSupport.h"

#include "Processes.h"

#include <QTest>
#include <QThread>

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
    dieWithTest(m_process);
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

PrivatePulseAudio::PrivatePulseAudio(const QString &speaker)
    : m_speaker(speaker)
{}

PrivatePulseAudio::~PrivatePulseAudio()
{
    stopProcess(m_process, 3000);
}

bool PrivatePulseAudio::start(QString *why)
{
    const QString socket = m_dir.filePath(QStringLiteral("native"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PULSE_RUNTIME_PATH"), m_dir.filePath(QStringLiteral("runtime")));
    env.insert(QStringLiteral("PULSE_STATE_PATH"), m_dir.filePath(QStringLiteral("state")));
    // Off the session bus: the session's server holds the name org.PulseAudio1
    // there, and a second server that cannot take it exits.
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    m_process.setProcessEnvironment(env);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    dieWithTest(m_process);
    m_process.start(
        QStringLiteral("pulseaudio"),
        {QStringLiteral("-n"), QStringLiteral("--daemonize=no"),
         QStringLiteral("--exit-idle-time=-1"), QStringLiteral("--disallow-exit"),
         QStringLiteral("--disable-shm=yes"), QStringLiteral("--use-pid-file=no"),
         QStringLiteral("--load=module-native-protocol-unix auth-anonymous=1 socket=") + socket,
         QStringLiteral("--load=module-null-sink sink_name=") + m_speaker +
             QStringLiteral(" sink_properties=device.description=") + m_speaker});
    if (!m_process.waitForStarted(10000)) {
        *why = QStringLiteral("pulseaudio did not start: ") + m_process.errorString();
        return false;
    }
    qputenv("PULSE_SERVER", (QStringLiteral("unix:") + socket).toUtf8());
    // Before QApplication: no event loop, a bounded poll of pactl.
    for (int i = 0; i < 100 && m_process.state() == QProcess::Running; ++i) {
        bool ok = false;
        pactl({QStringLiteral("info")}, &ok);
        if (ok) {
            pactl({QStringLiteral("set-default-sink"), m_speaker});
            return true;
        }
        QThread::msleep(100);
    }
    *why = QStringLiteral("pulseaudio does not answer: ") + QString::fromUtf8(m_process.readAll());
    return false;
}

} // namespace softphone::test
