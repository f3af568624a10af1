#include "CallAudio.h"

#include "Call.h"
#include "CliSession.h"
#include "WavFileSink.h"
#include "WavFileSource.h"

#include <QJsonObject>

namespace softphone::cli {

using namespace client;

namespace {
const QCommandLineOption
    kAudioIn(QStringLiteral("audio-in"),
             QStringLiteral("call, answer, listen: send the voice in this 16-bit PCM WAV file "
                            "(any rate, mono/stereo), then silence"),
             QStringLiteral("FILE.wav"));
const QCommandLineOption
    kAudioOut(QStringLiteral("audio-out"),
              QStringLiteral("call, answer, listen: write what the call hears to this WAV "
                             "file (48 kHz mono; the first call only)"),
              QStringLiteral("FILE.wav"));
} // namespace

QList<QCommandLineOption> CallAudio::options()
{
    return {kAudioIn, kAudioOut};
}

QString CallAudio::prepare(const QCommandLineParser &parser)
{
    QString error;
    if (parser.isSet(kAudioIn)) {
        m_source = WavFileSource::open(parser.value(kAudioIn), &error);
        if (!m_source)
            return QStringLiteral("--audio-in: %1").arg(error);
    }
    if (parser.isSet(kAudioOut)) {
        m_sink = WavFileSink::open(parser.value(kAudioOut), &error);
        if (!m_sink)
            return QStringLiteral("--audio-out: %1").arg(error);
    }
    return {};
}

void CallAudio::attach(Call *call)
{
    QObject::connect(call, &Call::stateChanged, call,
                     [self = shared_from_this(), call](CallState state) {
                         if (state == CallState::Established && call->media()) {
                             call->media()->setSource(self->m_source);
                             // The session becomes the only owner: the file is completed when the
                             // call ends.
                             call->media()->setSink(std::exchange(self->m_sink, nullptr));
                             return;
                         }
                         if (state != CallState::Ended)
                             return;
                         self->m_sink.reset(); // never established: complete the (empty) file now
                         QJsonObject event = CliSession::callJson(QStringLiteral("media"), call);
                         event.insert(QLatin1StringView("quality"),
                                      QJsonObject::fromVariantMap(call->qualityMap()));
                         CliSession::printEvent(event);
                     });
}

} // namespace softphone::cli
