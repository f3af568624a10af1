#pragma once
// The warning a user sees while a chosen audio device is missing (unplugged
// headset): which one, and that the system default is used until it is back;
// with no microphone at all, that calls still work but are not heard.
// On the Settings page for the microphone, speaker and ringer, and in the
// call window during a call for the microphone and speaker. It follows the
// devices by itself (core's media::AudioDevices, which also compares the lists
// once a second: Qt 6.4 misses removals) and the choices in Settings. Red from
// the palette (theme::alertColour), bold, and said to assistive technology.

#include "media/devices/AudioDevices.h"

#include <QLabel>
#include <QList>

namespace softphone::storage {
class Settings;
}

namespace softphone::ui {

class DeviceWarning : public QLabel
{
    Q_OBJECT

public:
    DeviceWarning(storage::Settings &settings, QList<media::AudioDevices::Role> roles,
                  QWidget *parent = nullptr);

    // The system lists no microphone at all (none plugged in, none in the
    // sound server): calls still work, the other side hears nothing.
    static bool noMicrophone();

    // The warning for these roles now; empty when every chosen device is there.
    static QString warningText(const storage::Settings &settings,
                               const QList<media::AudioDevices::Role> &roles);

    // Wrapped over several lines, it asks for the height its text needs at
    // its width, so a window that grows to fit gives it all of them.
    QSize minimumSizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void refresh();
    void followPalette();

    storage::Settings &m_settings;
    QList<media::AudioDevices::Role> m_roles;
    media::AudioDevices *m_devices;
};

} // namespace softphone::ui
