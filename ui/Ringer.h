#pragma once
// The ring of an incoming call on the ringer device chosen in Settings
// ("System default" when none or when the chosen one is gone): a generated
// two-tone ring, 1 s on, 2 s off, until stop().

#include <QObject>
#include <memory>

class QAudioSink;
class QIODevice;

namespace softphone::ui {

class Ringer : public QObject
{
    Q_OBJECT

public:
    explicit Ringer(QObject *parent = nullptr);
    ~Ringer() override;

    // deviceId: QAudioDevice::id() as stored in Settings; empty = system default.
    void start(const QString &deviceId);
    void stop();
    bool isRinging() const { return m_ringing; }

signals:
    void ringingChanged(bool ringing);

private:
    std::unique_ptr<QAudioSink> m_sink;
    std::unique_ptr<QIODevice> m_source;
    bool m_ringing = false;
};

} // namespace softphone::ui
