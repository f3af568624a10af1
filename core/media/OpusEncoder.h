#pragma once
// RAII owner of a libopus encoder tuned for voice calls: VOIP application,
// inband FEC whose redundancy follows the loss the far end reports.

#include <QByteArray>
#include <cstdint>
#include <memory>
#include <span>

namespace softphone::media {

class OpusEncoder
{
public:
    struct Settings
    {
        int bitrate = 24000;
        int complexity = 5;
        bool fec = true;
        bool dtx = false;
        int expectedLossPercent = 10; // until the far end measures it
    };

    OpusEncoder();
    explicit OpusEncoder(const Settings &settings);
    ~OpusEncoder();
    OpusEncoder(const OpusEncoder &) = delete;
    OpusEncoder &operator=(const OpusEncoder &) = delete;

    bool isValid() const;

    // Encodes exactly one 20 or 10 ms frame (isFrameSize). Empty on error;
    // a 1-2 byte result with DTX on means "nothing worth sending".
    QByteArray encode(std::span<const int16_t> frame);

    // Measured loss of the far end's receiver: FEC redundancy follows it.
    void setPacketLossPercent(int percent);
    void setBitrate(int bitsPerSecond);
    void setComplexity(int complexity);
    void setDtx(bool on);
    int lookahead() const; // algorithmic delay in samples
    const Settings &settings() const { return m_settings; }

private:
    Settings m_settings;
    // libopus's own type has our class's name; keeping it out of this header
    // keeps `using namespace softphone::media` unambiguous for users.
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace softphone::media
