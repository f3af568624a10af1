#include "OpusDecoder.h"

#include "MediaFormat.h"
#include "common/Logging.h"

#include <algorithm>
#include <opus.h>

namespace softphone::media {

struct OpusDecoder::State
{
    ::OpusDecoder *dec = nullptr;
};

OpusDecoder::OpusDecoder()
    : m_state(std::make_unique<State>())
{
    int err = OPUS_OK;
    m_state->dec = opus_decoder_create(kSampleRate, kChannels, &err);
    if (err != OPUS_OK || !m_state->dec) {
        qCWarning(lcMedia) << "opus_decoder_create failed:" << opus_strerror(err);
        m_state->dec = nullptr;
    }
}

OpusDecoder::~OpusDecoder()
{
    if (m_state->dec)
        opus_decoder_destroy(m_state->dec);
}

bool OpusDecoder::decode(const QByteArray &packet, std::span<int16_t> out)
{
    if (!isFrameSize(out.size()))
        return false;
    if (!m_state->dec || packet.isEmpty()) {
        conceal(out);
        return false;
    }
    const int n =
        opus_decode(m_state->dec, reinterpret_cast<const unsigned char *>(packet.constData()),
                    int(packet.size()), out.data(), int(out.size()), 0);
    if (n != int(out.size())) {
        // A packet of another duration or a corrupt one: keep the stream
        // continuous with concealment rather than a gap.
        qCDebug(lcMedia) << "opus_decode returned" << n << "- concealing";
        conceal(out);
        return false;
    }
    return true;
}

bool OpusDecoder::decodeFec(const QByteArray &nextPacket, std::span<int16_t> out)
{
    if (!isFrameSize(out.size()))
        return false;
    if (!m_state->dec || nextPacket.isEmpty()) {
        conceal(out);
        return false;
    }
    const int n =
        opus_decode(m_state->dec, reinterpret_cast<const unsigned char *>(nextPacket.constData()),
                    int(nextPacket.size()), out.data(), int(out.size()), 1);
    if (n != int(out.size())) {
        conceal(out);
        return false;
    }
    return true;
}

bool OpusDecoder::isValid() const
{
    return m_state->dec != nullptr;
}

void OpusDecoder::conceal(std::span<int16_t> out)
{
    int n = -1;
    if (m_state->dec && isFrameSize(out.size()))
        n = opus_decode(m_state->dec, nullptr, 0, out.data(), int(out.size()), 0);
    if (n != int(out.size()))
        std::fill(out.begin(), out.end(), int16_t(0));
}

} // namespace softphone::media
