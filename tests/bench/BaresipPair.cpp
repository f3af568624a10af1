#include "BaresipPair.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <QUdpSocket>
#include <utility>

namespace softphone::bench {

namespace {

// A UDP port free on loopback now (for baresip's SIP; its TLS listener takes
// the next port, so the two instances' ports are kept 10 apart).
quint16 freeLoopbackPort()
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        QUdpSocket socket;
        if (!socket.bind(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = socket.localPort();
        if (port < 65000)
            return port;
    }
    return 0;
}

} // namespace

BaresipPair::~BaresipPair()
{
    for (QProcess *p : {&m_alice, &m_bob}) {
        if (p->state() == QProcess::NotRunning)
            continue;
        p->terminate();
        if (!p->waitForFinished(5000)) {
            p->kill();
            p->waitForFinished(5000);
        }
    }
}

bool BaresipPair::start(int seconds, QString *why)
{
    const quint16 alicePort = freeLoopbackPort();
    const quint16 bobPort = alicePort ? quint16(alicePort + 10) : 0;
    if (!m_dir.isValid() || !alicePort || !writeConfig(QStringLiteral("alice"), alicePort, false) ||
        !writeConfig(QStringLiteral("bob"), bobPort, true)) {
        *why = QStringLiteral("cannot write baresip's configuration");
        return false;
    }
    auto run = [&](QProcess &p, const QString &name, const QStringList &extra) {
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setStandardOutputFile(m_dir.filePath(name + QStringLiteral(".log")));
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(QStringLiteral("baresip"),
                QStringList{QStringLiteral("-f"), m_dir.filePath(name), QStringLiteral("-n"),
                            QStringLiteral("127.0.0.1"), QStringLiteral("-t"),
                            QString::number(seconds)} +
                    extra);
        return p.waitForStarted(10000);
    };
    if (!run(m_bob, QStringLiteral("bob"), {}) ||
        !waitForLog(QStringLiteral("bob"), "baresip is ready", 10000)) {
        *why = QStringLiteral("baresip (bob) did not start (is baresip-core installed?):\n") +
               log(QStringLiteral("bob")).right(4000);
        return false;
    }
    const QString dial = QStringLiteral("/dial sip:bob@127.0.0.1:%1").arg(bobPort);
    if (!run(m_alice, QStringLiteral("alice"), {QStringLiteral("-e"), dial}) ||
        !waitForLog(QStringLiteral("alice"), "Call established", 15000)) {
        *why = QStringLiteral("baresip's call was not established:\nalice: ") +
               log(QStringLiteral("alice")).right(4000) + QStringLiteral("\nbob: ") +
               log(QStringLiteral("bob")).right(4000);
        return false;
    }
    return true;
}

bool BaresipPair::writeConfig(const QString &name, quint16 port, bool answers)
{
    // One way: bob plays, alice captures; both ways: each does both.
    const bool both = m_audio == Audio::BothWays;
    const bool plays = both || answers;
    const bool captures = both || !answers;
    if (!QDir(m_dir.path()).mkpath(name))
        return false;
    QString config = QStringLiteral("poll_method\t\tepoll\n"
                                    "sip_listen\t\t127.0.0.1:%1\n"
                                    "audio_player\t\talsa,%2\n"
                                    "audio_source\t\talsa,%3\n"
                                    "audio_alert\t\talsa,null\n"
                                    "module_path\t\t/usr/lib/baresip/modules\n"
                                    "module\t\t\topus.so\n"
                                    "module\t\t\talsa.so\n"
                                    "module_app\t\taccount.so\n"
                                    "module_app\t\tmenu.so\n")
                         .arg(port)
                         .arg(plays ? QStringLiteral("pulse") : QStringLiteral("null"),
                              captures ? QStringLiteral("pulse") : QStringLiteral("null"));
    const QString account =
        QStringLiteral("<sip:%1@127.0.0.1:%2>;regint=0;audio_codecs=opus/48000/2%3\n")
            .arg(name)
            .arg(port)
            .arg(answers ? QStringLiteral(";answermode=auto") : QString());
    // Both ways (the CPU comparison): the same work as our call, mono Opus at
    // our bitrate and complexity with in-band FEC (baresip's defaults are
    // stereo, complexity 10).
    if (both)
        config += QStringLiteral("ausrc_channels\t\t1\nauplay_channels\t\t1\n"
                                 "opus_stereo\t\tno\nopus_sprop_stereo\tno\n"
                                 "opus_bitrate\t\t24000\nopus_complexity\t\t5\n"
                                 "opus_inbandfec\t\tyes\n");
    for (const auto &[file, text] : {std::pair{QStringLiteral("config"), config},
                                     std::pair{QStringLiteral("accounts"), account},
                                     std::pair{QStringLiteral("contacts"), QString()}}) {
        QFile f(m_dir.filePath(name + u'/' + file));
        if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) != text.toUtf8().size())
            return false;
    }
    return true;
}

QString BaresipPair::log(const QString &name) const
{
    QFile f(m_dir.filePath(name + QStringLiteral(".log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool BaresipPair::waitForLog(const QString &name, const char *text, int timeoutMs) const
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (log(name).contains(QLatin1StringView(text)))
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace softphone::bench
