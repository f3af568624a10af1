#pragma once
// The reference softphone in our benchmarks: two baresip instances (Debian
// baresip-core, its default buffer settings: jitter buffer, ptime 20, ALSA
// periods; Opus only) calling each other directly on loopback, no registrar,
// through ALSA's PulseAudio plugin onto the session's default devices. alice
// calls, bob answers at once; each has its own configuration in a temporary
// folder and quits by itself after the given seconds (-t).
//
// Audio::OneWay is the roles of bench_device_delay's call: alice captures
// from the default microphone and discards what she hears, bob plays what he
// hears on the default speaker and sends silence (ALSA's null device).
// Audio::BothWays: both capture from the microphone and play on the speaker,
// as our clients do in bench_call_cpu, and encode as we do: mono, 24 kbit/s,
// complexity 5, in-band FEC (baresip's own defaults: stereo, complexity 10).

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace softphone::bench {

class BaresipPair
{
public:
    enum class Audio { OneWay, BothWays };
    explicit BaresipPair(Audio audio = Audio::OneWay)
        : m_audio(audio)
    {}
    ~BaresipPair();
    BaresipPair(const BaresipPair &) = delete;
    BaresipPair &operator=(const BaresipPair &) = delete;

    // Both started and the call established (bounded waits), else false and why.
    bool start(int seconds, QString *why);
    qint64 alicePid() const { return m_alice.processId(); }
    qint64 bobPid() const { return m_bob.processId(); }

private:
    bool writeConfig(const QString &name, quint16 port, bool answers);
    QString log(const QString &name) const;
    bool waitForLog(const QString &name, const char *text, int timeoutMs) const;

    Audio m_audio;
    QTemporaryDir m_dir;
    QProcess m_bob;
    QProcess m_alice;
};

} // namespace softphone::bench
