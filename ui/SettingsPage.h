#pragma once
// Settings: audio (AudioSettings: devices, microphone level, test sound and
// test call, missing-device warning), colours (system, light, dark), do not disturb, ask before
// calling from a link, start minimized, keep running in the background, the push status, and sign
// out. Each control writes its Settings key at once.

#include "AudioCheck.h"
#include "PushStatusSource.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace softphone::storage {
class Settings;
}

namespace softphone::ui {

class AudioSettings;

class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPage(storage::Settings &settings, QWidget *parent = nullptr);

    void setPushStatusSource(PushStatusSource *source);
    void setAudioCheck(AudioCheck *check);
    void setAccount(const QString &user, const QString &server);

signals:
    void signOutRequested();

protected:
    // Do not disturb may have been switched in the tray menu meanwhile.
    void showEvent(QShowEvent *event) override;

private:
    void showPushStatus();

    storage::Settings &m_settings;
    QPointer<PushStatusSource> m_push;
    AudioSettings *m_audio;
    QCheckBox *m_dnd;
    QCheckBox *m_confirmLinks;
    QCheckBox *m_startMinimized;
    QCheckBox *m_keepRunning;
    QComboBox *m_style;
    QLabel *m_pushStatus;
    QLabel *m_account;
    QPushButton *m_signOut;
};

} // namespace softphone::ui
