#include "CallSounds.h"

#include "AppLogging.h"
#include "media/ToneGenerator.h"

namespace softphone::app {

using media::ToneGenerator;

CallSounds::CallSounds(QObject *parent)
    : QObject(parent)
    , m_ring(new TonePlayer(this))
    , m_tones(new TonePlayer(this))
{
    connect(m_ring, &TonePlayer::playingChanged, this, &CallSounds::ringingChanged);
    connect(m_tones, &TonePlayer::playingChanged, this, [this](bool playing) {
        if (!playing)
            m_ringback = false;
    });
}

void CallSounds::startRinging(const QByteArray &ringerDeviceId)
{
    // A second call ringing while the first still rings keeps the one ring going.
    if (m_ring->isPlaying())
        return;
    qCInfo(lcApp) << "ringing on"
                  << (ringerDeviceId.isEmpty() ? "the default device" : ringerDeviceId);
    m_ring->play(ToneGenerator::ringtone(), ringerDeviceId);
}

void CallSounds::stopRinging()
{
    m_ring->stop();
}

void CallSounds::startRingback(const QByteArray &outputDeviceId)
{
    if (m_ringback)
        return;
    m_ringback = true;
    m_tones->play(ToneGenerator::ringback(), outputDeviceId);
}

void CallSounds::stopRingback()
{
    if (!m_ringback)
        return;
    m_ringback = false;
    m_tones->stop();
}

void CallSounds::playCallEnded(const QByteArray &outputDeviceId)
{
    m_ringback = false;
    m_tones->play(ToneGenerator::callEnded(), outputDeviceId);
}

} // namespace softphone::app
