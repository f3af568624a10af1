#pragma once
// The sending half of a call's voice: microphone blocks in (with the speaker
// blocks as echo reference), wire frames out, numbered and timed. A block of
// 20 ms makes a 20 ms frame, one of 10 ms a 10 ms frame (a call that agreed
// on short frames); the size may change from one block to the next.
// Echo cancellation, noise suppression and gain control: EchoCanceller.
// Muted means no frames at all, not encoded silence. Keypad digits go out as
// RFC 4733 telephone events when the peer takes them (each in the place of
// the audio of its blocks, on the same sequence numbers), else as in-band
// DTMF tones in the audio. Not a QObject so it can live on the audio thread.

#include "EchoCanceller.h"
#include "NoiseSuppressor.h"
#include "OpusEncoder.h"
#include "ToneGenerator.h"

#include <QByteArray>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace softphone::media {

class SendStream
{
public:
    struct Settings
    {
        OpusEncoder::Settings codec;
        bool echoCancellation = true;
        // Noise suppression and, with the WebRTC engine, automatic gain
        // control: both are for a microphone.
        bool noiseSuppression = true;
        EchoCanceller::Engine echoEngine = EchoCanceller::Engine::WebRtc;
        int echoTailMs = 200; // speexdsp's filter length
        std::optional<quint8> streamId;
    };

    SendStream();
    explicit SendStream(const Settings &settings);

    // One microphone block (10 or 20 ms); returns the wire frame to send, or
    // an empty array when there is nothing to send (muted, DTX silence, bad block).
    QByteArray processCapture(std::span<const int16_t> block);
    // A block just handed to the speaker (the echo reference), of the size
    // the microphone's blocks have.
    void processPlayback(std::span<const int16_t> block);

    // Events (the peer negotiated telephone-event) or in-band tones (default).
    void setTelephoneEvents(bool on) { m_telephoneEvents = on; }
    bool telephoneEvents() const { return m_telephoneEvents; }
    // Queues one keypad digit (0-9, *, #, A-D); false for anything else or
    // when kMaxDigitsWaiting are queued. Digits go out one after the other
    // (each kDigitMs, then a pause), even while muted, as the user pressed them.
    bool sendDigit(QChar digit);
    static constexpr int kDigitMs = 100;
    static constexpr int kDigitPauseMs = 60;
    static constexpr int kMaxDigitsWaiting = 64;

    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    // Both at once: the engine is made again once (a source swapped mid-call).
    void setProcessing(bool echoCancellation, bool noiseSuppression);
    // Loss the far end measured: the FEC redundancy follows it.
    void setMeasuredLoss(double percent);
    OpusEncoder &encoder() { return m_encoder; }
    quint64 framesSent() const { return m_sent; }

private:
    void rebuildProcessing();
    // The next packet of the digit being sent as an event (empty when none).
    QByteArray nextEventFrame(quint32 timestamp);
    // While a digit plays in-band: its tone replaces the block in m_work.
    bool playInbandDigit();

    struct Event
    {
        quint8 code = 0;
        quint32 start = 0; // the timestamp of every packet of this event
        int blocks = 0;    // packets sent so far
        int samples = 0;   // the duration so far
        int ends = 0;      // packets with the end bit sent
    };

    Settings m_settings;
    OpusEncoder m_encoder;
    std::unique_ptr<EchoCanceller> m_echo;
    std::unique_ptr<NoiseSuppressor> m_noise;
    std::vector<int16_t> m_work;
    bool m_muted = false;
    bool m_nextIsMarker = true;
    quint16 m_sequence = 0;
    quint32 m_timestamp = 0;
    quint64 m_sent = 0;
    bool m_telephoneEvents = false;
    std::deque<QChar> m_digits;          // pressed, not sent yet
    std::optional<Event> m_event;        // the digit going out as events
    int m_pauseSamples = 0;              // quiet time left before the next digit
    std::optional<ToneGenerator> m_tone; // the digit going out in-band
};

} // namespace softphone::media
