#include "DeviceWarning.h"

#include "Theme.h"
#include "storage/Settings.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGuiApplication>
#include <QMediaDevices>
#include <QResizeEvent>

namespace softphone::ui {

using Key = storage::Settings::Key;
using media::AudioDevices;

namespace {

// The translations keep the context these sentences were first written in.
QString translated(const char *text)
{
    return QCoreApplication::translate("softphone::ui::AudioSettings", text);
}

} // namespace

DeviceWarning::DeviceWarning(storage::Settings &settings, QList<AudioDevices::Role> roles,
                             QWidget *parent)
    : QLabel(parent)
    , m_settings(settings)
    , m_roles(std::move(roles))
    , m_devices(new AudioDevices(this))
{
    setObjectName(QStringLiteral("deviceWarning"));
    setAccessibleName(
        QCoreApplication::translate("softphone::ui::AudioSettings", "Audio device warning"));
    setWordWrap(true);
    QFont bold = font();
    bold.setBold(true);
    setFont(bold);
    followPalette();
    connect(m_devices, &AudioDevices::devicesChanged, this, &DeviceWarning::refresh);
    connect(&m_settings, &storage::Settings::changed, this, [this](Key key) {
        if (key == Key::AudioInput || key == Key::AudioOutput || key == Key::AudioRinger)
            refresh();
    });
    refresh();
}

bool DeviceWarning::noMicrophone()
{
    return QMediaDevices::audioInputs().isEmpty();
}

QString DeviceWarning::warningText(const storage::Settings &settings,
                                   const QList<AudioDevices::Role> &roles)
{
    QStringList lines;
    for (const AudioDevices::Role role : roles) {
        if (role == AudioDevices::Role::Input && noMicrophone()) {
            lines << translated(QT_TRANSLATE_NOOP(
                "softphone::ui::AudioSettings",
                "No microphone is connected: calls can still be made and answered, but the "
                "other side cannot hear you. Plug one in, or choose one in the sound settings."));
            continue;
        }
        Key key = Key::AudioInput;
        const char *line = nullptr;
        switch (role) {
        case AudioDevices::Role::Input:
            line = QT_TRANSLATE_NOOP("softphone::ui::AudioSettings",
                                     "The chosen microphone (%1) is not connected: the system "
                                     "default is used until it is back.");
            break;
        case AudioDevices::Role::Output:
            key = Key::AudioOutput;
            line = QT_TRANSLATE_NOOP("softphone::ui::AudioSettings",
                                     "The chosen speaker (%1) is not connected: the system "
                                     "default is used until it is back.");
            break;
        case AudioDevices::Role::Ringer:
            key = Key::AudioRinger;
            line = QT_TRANSLATE_NOOP("softphone::ui::AudioSettings",
                                     "The chosen ringer (%1) is not connected: the system "
                                     "default is used until it is back.");
            break;
        }
        const QString chosen = settings.string(key);
        if (AudioDevices::isMissing(role, chosen.toUtf8()))
            lines << translated(line).arg(chosen);
    }
    return lines.join(QLatin1Char('\n'));
}

void DeviceWarning::refresh()
{
    const QString warning = warningText(m_settings, m_roles);
    setText(warning);
    setAccessibleDescription(warning);
    setVisible(!warning.isEmpty());
}

void DeviceWarning::followPalette()
{
    const QColor alert = theme::alertColour(QGuiApplication::palette());
    if (palette().color(QPalette::WindowText) == alert)
        return;
    QPalette own = palette();
    own.setColor(QPalette::WindowText, alert);
    setPalette(own);
}

QSize DeviceWarning::minimumSizeHint() const
{
    QSize size = QLabel::minimumSizeHint();
    if (!text().isEmpty() && width() > 0)
        size.setHeight(qMax(size.height(), heightForWidth(width())));
    return size;
}

void DeviceWarning::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    if (event->oldSize().width() != event->size().width())
        updateGeometry(); // another width, another number of lines
}

void DeviceWarning::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange)
        followPalette();
}

} // namespace softphone::ui
