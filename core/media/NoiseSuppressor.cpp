#include "NoiseSuppressor.h"

#include "MediaFormat.h"

#include <speex/speex_preprocess.h>

namespace softphone::media {

NoiseSuppressor::NoiseSuppressor(int suppressDb)
{
    m_state = speex_preprocess_state_init(kFrameSamples, kSampleRate);
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
    if (block.size() == size_t(kFrameSamples))
        speex_preprocess_run(m_state, block.data());
}

} // namespace softphone::media
