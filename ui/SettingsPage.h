#pragma once
// Settings: audio input, output and ringer (with "System default", kept in
// step with devices coming and going through core's media::AudioDevices),
// do not disturb, ask before calling from a link, start minimized, keep
// running in the background, the push status, and sign out. Each control
// writes its Settings key at once.

#include "PushStatusSource.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace softphone::media {
class AudioDevices;
}
namespace softphone::storage {
class Settings;
}

namespace softphone::ui {

class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPage(storage::Settings &settings, QWidget *parent = nullptr);

    void setPushStatusSource(PushStatusSource *source);
    void setAccount(const QString &user, const QString &server);

signals:
    void signOutRequested();

protected:
    // Do not disturb may have been switched in the tray menu meanwhile.
    void showEvent(QShowEvent *event) override;

private:
    void reloadDevices();
    void showPushStatus();

    storage::Settings &m_settings;
    media::AudioDevices *m_devices; // the lists and their hot-plug signal (core/media)
    QPointer<PushStatusSource> m_push;
    QComboBox *m_input;
    QComboBox *m_output;
    QComboBox *m_ringer;
    QCheckBox *m_dnd;
    QCheckBox *m_confirmLinks;
    QCheckBox *m_startMinimized;
    QCheckBox *m_keepRunning;
    QLabel *m_pushStatus;
    QLabel *m_account;
    QPushButton *m_signOut;
};

} // namespace softphone::ui
