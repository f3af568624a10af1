#pragma once
// What the user hears of a call besides the voice: the ringtone on the ringer
// device while an incoming call rings here, ringback on the output device
// while the callee's phone rings, and three short beeps on the output device
// when a call the user was in (or was placing) ends.

#include "TonePlayer.h"

#include <QByteArray>
#include <QObject>

namespace softphone::app {

class CallSounds : public QObject
{
    Q_OBJECT

public:
    explicit CallSounds(QObject *parent = nullptr);

    void startRinging(const QByteArray &ringerDeviceId);
    void stopRinging();
    bool isRinging() const { return m_ring->isPlaying(); }

    void startRingback(const QByteArray &outputDeviceId);
    void stopRingback();
    bool isRingbackPlaying() const { return m_ringback; }

    // Replaces a ringback still playing.
    void playCallEnded(const QByteArray &outputDeviceId);

    TonePlayer *ringPlayer() const { return m_ring; }
    TonePlayer *tonePlayer() const { return m_tones; }

signals:
    void ringingChanged(bool ringing);

private:
    TonePlayer *m_ring;
    TonePlayer *m_tones;
    bool m_ringback = false;
};

} // namespace softphone::app
