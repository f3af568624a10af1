#pragma once
// speexdsp's preprocessor on the microphone: noise suppression, and residual
// echo suppression when an echo canceller is attached.

#include <cstdint>
#include <span>

struct SpeexPreprocessState_;
struct SpeexEchoState_;

namespace softphone::media {

class NoiseSuppressor
{
public:
    explicit NoiseSuppressor(int suppressDb = -30);
    ~NoiseSuppressor();
    NoiseSuppressor(const NoiseSuppressor &) = delete;
    NoiseSuppressor &operator=(const NoiseSuppressor &) = delete;

    void setEchoState(SpeexEchoState_ *echo);
    // Processes one 20 ms block in place.
    void process(std::span<int16_t> block);

private:
    SpeexPreprocessState_ *m_state = nullptr;
};

} // namespace softphone::media
