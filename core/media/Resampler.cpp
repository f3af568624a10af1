#include "Resampler.h"

#include "common/Logging.h"

#include <algorithm>
#include <speex/speex_resampler.h>

namespace softphone::media {

namespace {
constexpr int kQuality = 3;
}

Resampler::Resampler(int inRate, int outRate, int inChannels, int outChannels)
    : m_inRate(inRate)
    , m_outRate(outRate)
    , m_inChannels(std::clamp(inChannels, 1, 2))
    , m_outChannels(std::clamp(outChannels, 1, 2))
{
    if (inRate <= 0 || outRate <= 0) {
        qCWarning(lcMedia) << "resampler: invalid rates" << inRate << outRate;
        return;
    }
    if (inRate == outRate) {
        m_passthrough = true;
        return;
    }
    int err = 0;
    m_state = speex_resampler_init(1, spx_uint32_t(inRate), spx_uint32_t(outRate), kQuality, &err);
    if (err != RESAMPLER_ERR_SUCCESS) {
        qCWarning(lcMedia) << "resampler:" << speex_resampler_strerror(err);
        m_state = nullptr;
        return;
    }
    // Start output at the first input sample instead of with the filter's
    // leading zeros, so durations and positions are kept.
    speex_resampler_skip_zeros(m_state);
}

Resampler::~Resampler()
{
    if (m_state)
        speex_resampler_destroy(m_state);
}

int Resampler::outputLatency() const
{
    return m_state ? speex_resampler_get_output_latency(m_state) : 0;
}

std::vector<int16_t> Resampler::convertChannels(std::span<const int16_t> mono) const
{
    if (m_outChannels == 1)
        return {mono.begin(), mono.end()};
    std::vector<int16_t> out(mono.size() * 2);
    for (size_t i = 0; i < mono.size(); ++i)
        out[2 * i] = out[2 * i + 1] = mono[i];
    return out;
}

std::vector<int16_t> Resampler::process(std::span<const int16_t> in)
{
    if (!isValid())
        return {};
    const size_t frames = in.size() / size_t(m_inChannels);
    m_mono.resize(frames);
    if (m_inChannels == 2) {
        for (size_t i = 0; i < frames; ++i)
            m_mono[i] = int16_t((int(in[2 * i]) + int(in[2 * i + 1])) / 2);
    } else {
        std::copy_n(in.begin(), frames, m_mono.begin());
    }
    if (m_passthrough)
        return convertChannels(m_mono);

    std::vector<int16_t> out(size_t(double(frames) * m_outRate / m_inRate) + 64);
    size_t consumed = 0;
    size_t produced = 0;
    while (consumed < frames) {
        spx_uint32_t inLen = spx_uint32_t(frames - consumed);
        spx_uint32_t outLen = spx_uint32_t(out.size() - produced);
        if (outLen == 0) {
            out.resize(out.size() * 2);
            continue;
        }
        speex_resampler_process_int(m_state, 0, m_mono.data() + consumed, &inLen,
                                    out.data() + produced, &outLen);
        consumed += inLen;
        produced += outLen;
        if (inLen == 0 && outLen == 0)
            break;
    }
    out.resize(produced);
    return convertChannels(out);
}

std::vector<int16_t> Resampler::flush()
{
    if (!m_state)
        return {};
    const int latency = speex_resampler_get_input_latency(m_state);
    const std::vector<int16_t> zeros(size_t(latency) * size_t(m_inChannels), 0);
    return process(zeros);
}

} // namespace softphone::media
