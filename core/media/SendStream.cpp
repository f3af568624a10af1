#include "SendStream.h"

#include "MediaFormat.h"
#include "MediaFrame.h"
#include "TelephoneEvent.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace softphone::media {

SendStream::SendStream()
    : SendStream(Settings{})
{}

SendStream::SendStream(const Settings &settings)
    : m_settings(settings)
    , m_encoder(settings.codec)
    , m_work(kFrameSamples)
{
    // Random starting points (RFC 3550 5.1) so a stream restarted mid-call
    // cannot be mistaken for old packets of the previous one.
    m_sequence = quint16(QRandomGenerator::global()->generate());
    m_timestamp = QRandomGenerator::global()->generate();
    rebuildProcessing();
}

void SendStream::rebuildProcessing()
{
    m_echo.reset();
    m_noise.reset();
    const bool speex = m_settings.echoEngine == EchoCanceller::Engine::Speex;
    // WebRTC's engine does echo, noise and gain in one pass; speexdsp's
    // noise suppressor is a separate stage fed by its canceller's state.
    if (m_settings.echoCancellation || (!speex && m_settings.noiseSuppression)) {
        EchoCanceller::Settings echo;
        echo.engine = m_settings.echoEngine;
        echo.tailMs = m_settings.echoTailMs;
        echo.cancelEcho = m_settings.echoCancellation;
        echo.noiseSuppression = !speex && m_settings.noiseSuppression;
        echo.gainControl = echo.noiseSuppression;
        m_echo = std::make_unique<EchoCanceller>(echo);
    }
    if (speex && m_settings.noiseSuppression) {
        m_noise = std::make_unique<NoiseSuppressor>();
        if (m_echo)
            m_noise->setEchoState(m_echo->state());
    }
}

void SendStream::setProcessing(bool echoCancellation, bool noiseSuppression)
{
    m_settings.echoCancellation = echoCancellation;
    m_settings.noiseSuppression = noiseSuppression;
    rebuildProcessing();
}

void SendStream::setMeasuredLoss(double percent)
{
    m_encoder.setPacketLossPercent(int(std::lround(percent)));
}

void SendStream::setMuted(bool muted)
{
    if (muted && !m_muted)
        m_nextIsMarker = true;
    m_muted = muted;
}

bool SendStream::sendDigit(QChar digit)
{
    if (!TelephoneEvent::eventOf(digit) || m_digits.size() >= size_t(kMaxDigitsWaiting))
        return false;
    m_digits.push_back(digit.toUpper());
    return true;
}

QByteArray SendStream::nextEventFrame(quint32 timestamp)
{
    if (!m_event) {
        if (!m_telephoneEvents || m_digits.empty())
            return {};
        if (m_pauseSamples > 0) {
            m_pauseSamples -= int(m_work.size());
            return {};
        }
        m_event = Event{*TelephoneEvent::eventOf(m_digits.front()), timestamp, 0};
        m_digits.pop_front();
    }
    // RFC 4733 2.5: the duration grows each packet (one per block, 10 or
    // 20 ms) until the end, whose packet (end bit, final duration) goes out
    // three times.
    constexpr int kDigitSamples = kDigitMs * kSamplesPerMs;
    constexpr int kEndRepeats = 3;
    ++m_event->blocks;
    m_event->samples += int(m_work.size());
    TelephoneEvent event;
    event.event = m_event->code;
    event.duration = quint16(std::min(m_event->samples, kDigitSamples));
    event.end = m_event->samples >= kDigitSamples;
    m_event->ends += event.end ? 1 : 0;
    MediaFrame frame;
    frame.streamId = m_settings.streamId;
    frame.telephoneEvent = true;
    frame.marker = m_event->blocks == 1;
    frame.sequence = m_sequence++;
    frame.timestamp = m_event->start;
    frame.payload = event.encode();
    if (m_event->ends >= kEndRepeats) {
        m_event.reset();
        m_pauseSamples = kDigitPauseMs * kSamplesPerMs;
        m_nextIsMarker = true; // the audio after it starts a talk spurt
    }
    ++m_sent;
    return frame.encode();
}

bool SendStream::playInbandDigit()
{
    if (!m_tone && !m_telephoneEvents && !m_digits.empty()) {
        double low = 0;
        double high = 0;
        ToneGenerator::dtmfFrequencies(m_digits.front(), &low, &high);
        m_digits.pop_front();
        m_tone = ToneGenerator({{kDigitMs, low, high}, {kDigitPauseMs, 0, 0}}, false, -10);
    }
    if (!m_tone)
        return false;
    m_tone->fill(m_work);
    if (m_tone->finished())
        m_tone.reset();
    return true;
}

void SendStream::processPlayback(std::span<const int16_t> block)
{
    if (m_echo)
        m_echo->playback(block);
}

QByteArray SendStream::processCapture(std::span<const int16_t> block)
{
    if (!isFrameSize(block.size()))
        return {};
    // Time runs on while muted, like RTP timestamps: the receiver sees a gap
    // in time, not a lost sequence number.
    const quint32 timestamp = m_timestamp;
    m_timestamp += quint32(block.size());
    m_work.assign(block.begin(), block.end());
    // The echo canceller keeps adapting while muted so unmuting starts clean
    // (with the WebRTC engine this pass also suppresses noise and sets the gain).
    if (m_echo)
        m_echo->capture(m_work);
    if (QByteArray event = nextEventFrame(timestamp); !event.isEmpty())
        return event;
    const bool tone = playInbandDigit();
    if (m_muted && !tone)
        return {};
    if (m_noise && !tone)
        m_noise->process(m_work);
    const QByteArray payload = m_encoder.encode(m_work);
    if (payload.size() <= 2) {
        // Empty: encoder error. 1-2 bytes: DTX says nothing worth sending.
        m_nextIsMarker = true;
        return {};
    }
    MediaFrame frame;
    frame.streamId = m_settings.streamId;
    frame.marker = m_nextIsMarker;
    frame.sequence = m_sequence++;
    frame.timestamp = timestamp;
    frame.payload = payload;
    m_nextIsMarker = false;
    ++m_sent;
    return frame.encode();
}

} // namespace softphone::media
