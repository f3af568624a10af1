#include "EchoCanceller.h"

#include "MediaFormat.h"
#include "common/Logging.h"

#include <algorithm>
#include <array>
#include <speex/speex_echo.h>
#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>

namespace softphone::media {

namespace {
// More queued speaker blocks than this (after a stall, or a burst written to
// refill the speaker after an underrun): the oldest are dropped. The block
// handed to the canceller with a microphone block is then at most 40 ms older
// than it, and its echo cannot come sooner than that: the speaker's own
// buffer (20 ms and more), the way through the room and the microphone's
// buffer lie in between. With more kept, a reference could reach the
// canceller after its echo, and no canceller removes that; the rest of the
// delay is found by WebRTC's delay-agnostic mode.
constexpr size_t kMaxQueuedSamples = 2 * kFrameSamples;
// At most one log line per this interval about dropped reference blocks.
constexpr auto kDropLogInterval = std::chrono::seconds(10);
// Both engines work on 10 ms chunks (WebRTC's audio processing only takes
// those), so blocks of 10 and 20 ms are handled alike.
constexpr int kChunkSamples = kShortFrameSamples;
} // namespace

// One engine: cancels the echo of `reference` (played) in `mic`, into `out`;
// kChunkSamples of each.
class EchoCanceller::Processor
{
public:
    virtual ~Processor() = default;
    virtual void process(const int16_t *reference, const int16_t *mic, int16_t *out) = 0;
    // The delay from a reference chunk handed over to its echo in the
    // microphone beyond what the queue takes care of (WebRTC only).
    virtual void setStreamDelayMs(int ms) { (void)ms; }
    virtual void reset() = 0;
    virtual SpeexEchoState_ *speexState() const { return nullptr; }
};

namespace {

class SpeexProcessor final : public EchoCanceller::Processor
{
public:
    explicit SpeexProcessor(int tailMs)
    {
        m_state = speex_echo_state_init(kChunkSamples, std::max(tailMs, 20) * kSamplesPerMs);
        int rate = kSampleRate;
        speex_echo_ctl(m_state, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    }
    ~SpeexProcessor() override { speex_echo_state_destroy(m_state); }
    void process(const int16_t *reference, const int16_t *mic, int16_t *out) override
    {
        speex_echo_cancellation(m_state, mic, reference, out);
    }
    void reset() override { speex_echo_state_reset(m_state); }
    SpeexEchoState_ *speexState() const override { return m_state; }

private:
    SpeexEchoState_ *m_state = nullptr;
};

// WebRTC's AudioProcessing as PulseAudio's module-echo-cancel sets it up: the
// extended filter and delay-agnostic mode (it finds the speaker-to-microphone
// delay itself), high-pass filter, and optionally noise suppression and
// adaptive digital gain control.
class WebRtcProcessor final : public EchoCanceller::Processor
{
public:
    explicit WebRtcProcessor(const EchoCanceller::Settings &settings)
        : m_cancelEcho(settings.cancelEcho)
    {
        webrtc::Config config;
        config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
        config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
        // Not the "experimental" AGC (on unless told): a microphone-volume
        // manager (AgcManagerDirect) with a voice activity detector of its
        // own, a sixth of the engine's instructions per 10 ms, for a volume
        // we never apply; it also steered the digital AGC's compression and
        // reset its mode at each Initialize(). The adaptive digital AGC set
        // below runs alone (docs/benchmarks.md "CPU per call: where it goes").
        config.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
        m_apm.reset(webrtc::AudioProcessing::Create(config));
        const webrtc::StreamConfig mono(kSampleRate, 1);
        const webrtc::ProcessingConfig streams = {{mono, mono, mono, mono}};
        m_apm->Initialize(streams);
        m_apm->high_pass_filter()->Enable(true);
        webrtc::EchoCancellation *aec = m_apm->echo_cancellation();
        aec->enable_drift_compensation(false);
        // High: on real devices (tst_voice_devices' acoustic loop) moderate let
        // -20..-50 dB of the echo through, high -40..-90 dB; in double talk it
        // takes ~2.5 dB more of the near end (tests/bench/bench_echo_canceller).
        aec->set_suppression_level(webrtc::EchoCancellation::kHighSuppression);
        aec->Enable(settings.cancelEcho);
        m_apm->noise_suppression()->set_level(webrtc::NoiseSuppression::kHigh);
        m_apm->noise_suppression()->Enable(settings.noiseSuppression);
        m_apm->gain_control()->set_mode(webrtc::GainControl::kAdaptiveDigital);
        // Target -2 dBFS and 12 dB compression (the manager's target and the
        // top of its range): a voice at -21 dBFS comes out +8..+10 dB, as
        // with the manager; the defaults (-3 dBFS, 9 dB) gave +6..+8 dB and
        // slower onsets (~6 ms later at half level in bench_device_delay).
        m_apm->gain_control()->set_target_level_dbfs(2);
        m_apm->gain_control()->set_compression_gain_db(12);
        m_apm->gain_control()->Enable(settings.gainControl);
        for (webrtc::AudioFrame *frame : {&m_far, &m_near}) {
            frame->sample_rate_hz_ = kSampleRate;
            frame->num_channels_ = 1;
            frame->samples_per_channel_ = kChunkSamples;
        }
    }
    void process(const int16_t *reference, const int16_t *mic, int16_t *out) override
    {
        if (m_cancelEcho) {
            std::copy_n(reference, kChunkSamples, m_far.data_);
            m_apm->AnalyzeReverseStream(&m_far);
            // The queue hands over the reference just before its echo; the
            // rest of the delay is what the caller measured (0 when it did
            // not), and delay-agnostic mode finds what is left.
            m_apm->set_stream_delay_ms(m_streamDelayMs);
        }
        std::copy_n(mic, kChunkSamples, m_near.data_);
        m_apm->ProcessStream(&m_near);
        std::copy_n(m_near.data_, kChunkSamples, out);
    }
    void setStreamDelayMs(int ms) override { m_streamDelayMs = ms; }
    void reset() override { m_apm->Initialize(); }

private:
    std::unique_ptr<webrtc::AudioProcessing> m_apm;
    webrtc::AudioFrame m_far;
    webrtc::AudioFrame m_near;
    bool m_cancelEcho;
    int m_streamDelayMs = 0;
};

} // namespace

EchoCanceller::EchoCanceller()
    : EchoCanceller(Settings{})
{}

EchoCanceller::EchoCanceller(const Settings &settings)
    : m_settings(settings)
    , m_out(kChunkSamples)
{
    if (settings.engine == Engine::Speex)
        m_processor = std::make_unique<SpeexProcessor>(settings.tailMs);
    else
        m_processor = std::make_unique<WebRtcProcessor>(settings);
}

EchoCanceller::~EchoCanceller() = default;

SpeexEchoState_ *EchoCanceller::state() const
{
    return m_processor->speexState();
}

void EchoCanceller::playback(std::span<const int16_t> block)
{
    if (!isFrameSize(block.size()))
        return;
    m_reference.insert(m_reference.end(), block.begin(), block.end());
    if (m_reference.size() > kMaxQueuedSamples) {
        m_reference.erase(m_reference.begin(),
                          m_reference.begin() + qsizetype(m_reference.size() - kMaxQueuedSamples));
        noteDroppedBlock();
    }
}

void EchoCanceller::setStreamDelayMs(int ms)
{
    m_devicesDelayMs = std::clamp(ms, 0, 500);
}

void EchoCanceller::noteDroppedBlock()
{
    ++m_dropped;
    const auto now = std::chrono::steady_clock::now();
    if (m_droppedLogged != 0 && now - m_lastDropLog < kDropLogInterval)
        return;
    qCDebug(lcMedia) << "echo canceller: speaker ahead of microphone,"
                     << m_dropped - m_droppedLogged << "reference block(s) dropped," << m_dropped
                     << "in all";
    m_droppedLogged = m_dropped;
    m_lastDropLog = now;
}

void EchoCanceller::capture(std::span<int16_t> block)
{
    if (!isFrameSize(block.size()))
        return;
    // The reference of this block: as many samples as it has, silence where
    // the speaker played nothing yet.
    std::array<int16_t, kFrameSamples> ref{};
    const size_t have = std::min(m_reference.size(), block.size());
    std::copy_n(m_reference.begin(), have, ref.begin());
    m_reference.erase(m_reference.begin(), m_reference.begin() + qsizetype(have));
    // Speaker audio still queued here was handed to the device before this
    // block's reference: that much of the devices' delay is behind us.
    if (m_devicesDelayMs > 0)
        m_processor->setStreamDelayMs(
            std::max(0, m_devicesDelayMs - int(m_reference.size()) / kSamplesPerMs));
    for (size_t at = 0; at < block.size(); at += kChunkSamples) {
        m_processor->process(ref.data() + at, block.data() + at, m_out.data());
        std::copy(m_out.begin(), m_out.end(), block.begin() + qsizetype(at));
    }
}

void EchoCanceller::reset()
{
    m_processor->reset();
    m_reference.clear();
}

} // namespace softphone::media
