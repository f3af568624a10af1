#include "NoiseSuppressor.h"

#include "MediaFormat.h"

#include <speex/speex_preprocess.h>

namespace softphone::media {

NoiseSuppressor::NoiseSuppressor(int suppressDb)
{
    m_state = speex_preprocess_state_init(kShortFrameSamples, kSampleRate);
    int on = 1;
    speex_preprocess_ctl(m_state, SPEEX_PREPROCESS_SET_DENOISE, &on);
    speex_preprocess_ctl(m_state, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &suppressDb);
}

NoiseSuppressor::~NoiseSuppressor()
{
    speex_preprocess_state_destroy(m_state);
}

void NoiseSuppressor::setEchoState(SpeexEchoState_ *echo)
{
    speex_preprocess_ctl(m_state, SPEEX_PREPROCESS_SET_ECHO_STATE, echo);
}

void NoiseSuppressor::process(std::span<int16_t> block)
{
    // 10 ms at a time (the echo canceller's chunk, whose state it reads).
    if (!isFrameSize(block.size()))
        return;
    for (size_t at = 0; at < block.size(); at += kShortFrameSamples)
        speex_preprocess_run(m_state, block.data() + at);
}

} // namespace softphone::media
