#include "OpusEncoder.h"

#include "MediaFormat.h"
#include "MediaFrame.h"
#include "common/Logging.h"

#include <algorithm>
#include <opus.h>

namespace softphone::media {

struct OpusEncoder::State
{
    ::OpusEncoder *enc = nullptr;
};

OpusEncoder::OpusEncoder()
    : OpusEncoder(Settings{})
{}

OpusEncoder::OpusEncoder(const Settings &settings)
    : m_settings(settings)
    , m_state(std::make_unique<State>())
{
    int err = OPUS_OK;
    m_state->enc = opus_encoder_create(kSampleRate, kChannels, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK || !m_state->enc) {
        qCWarning(lcMedia) << "opus_encoder_create failed:" << opus_strerror(err);
        m_state->enc = nullptr;
        return;
    }
    opus_encoder_ctl(m_state->enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    opus_encoder_ctl(m_state->enc, OPUS_SET_INBAND_FEC(settings.fec ? 1 : 0));
    setBitrate(settings.bitrate);
    setComplexity(settings.complexity);
    setDtx(settings.dtx);
    setPacketLossPercent(settings.expectedLossPercent);
}

OpusEncoder::~OpusEncoder()
{
    if (m_state->enc)
        opus_encoder_destroy(m_state->enc);
}

QByteArray OpusEncoder::encode(std::span<const int16_t> frame)
{
    if (!m_state->enc || !isFrameSize(frame.size()))
        return {};
    QByteArray out(MediaFrame::kMaxPayloadSize, Qt::Uninitialized);
    const int n = opus_encode(m_state->enc, frame.data(), int(frame.size()),
                              reinterpret_cast<unsigned char *>(out.data()), out.size());
    if (n < 0) {
        qCWarning(lcMedia) << "opus_encode failed:" << opus_strerror(n);
        return {};
    }
    out.truncate(n);
    return out;
}

void OpusEncoder::setPacketLossPercent(int percent)
{
    m_settings.expectedLossPercent = std::clamp(percent, 0, 100);
    if (m_state->enc)
        opus_encoder_ctl(m_state->enc, OPUS_SET_PACKET_LOSS_PERC(m_settings.expectedLossPercent));
}

void OpusEncoder::setBitrate(int bitsPerSecond)
{
    m_settings.bitrate = std::clamp(bitsPerSecond, 6000, 128000);
    if (m_state->enc)
        opus_encoder_ctl(m_state->enc, OPUS_SET_BITRATE(m_settings.bitrate));
}

void OpusEncoder::setComplexity(int complexity)
{
    m_settings.complexity = std::clamp(complexity, 0, 10);
    if (m_state->enc)
        opus_encoder_ctl(m_state->enc, OPUS_SET_COMPLEXITY(m_settings.complexity));
}

void OpusEncoder::setDtx(bool on)
{
    m_settings.dtx = on;
    if (m_state->enc)
        opus_encoder_ctl(m_state->enc, OPUS_SET_DTX(on ? 1 : 0));
}

bool OpusEncoder::isValid() const
{
    return m_state->enc != nullptr;
}

int OpusEncoder::lookahead() const
{
    opus_int32 samples = 0;
    if (m_state->enc)
        opus_encoder_ctl(m_state->enc, OPUS_GET_LOOKAHEAD(&samples));
    return samples;
}

} // namespace softphone::media
