#include "AudioSettings.h"

#include "DeviceWarning.h"

#include "media/devices/InputLevelMeter.h"
#include "storage/Settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace softphone::ui {

using Key = storage::Settings::Key;
using media::AudioDevices;

namespace {

// An entry's text: its name, marked when it is the system default or the
// device in use; a chosen device that is gone stays listed as unavailable so
// the choice is not lost when a headset is unplugged for a while.
QString entryText(const AudioDevices::Entry &d)
{
    if (d.id.isEmpty())
        return AudioSettings::tr("System default");
    if (!d.available)
        return AudioSettings::tr("%1 (unavailable)").arg(QString::fromUtf8(d.id));
    if (d.isDefault && d.inUse)
        return AudioSettings::tr("%1 (system default, in use)").arg(d.description);
    if (d.isDefault)
        return AudioSettings::tr("%1 (system default)").arg(d.description);
    if (d.inUse)
        return AudioSettings::tr("%1 (in use)").arg(d.description);
    return d.description;
}

// Fills a device list: "System default" first (stored as ""), then the devices present now.
void fillDevices(QComboBox *box, const QList<AudioDevices::Entry> &devices, const QString &chosen)
{
    const QSignalBlocker blocker(box);
    box->clear();
    int index = 0;
    for (const AudioDevices::Entry &d : devices) {
        const QString id = QString::fromUtf8(d.id);
        box->addItem(entryText(d), id);
        if (id == chosen)
            index = box->count() - 1;
    }
    box->setCurrentIndex(index);
}

} // namespace

AudioSettings::AudioSettings(storage::Settings &settings, QWidget *parent)
    : QGroupBox(tr("Audio"), parent)
    , m_settings(settings)
    , m_input(new QComboBox(this))
    , m_output(new QComboBox(this))
    , m_ringer(new QComboBox(this))
    , m_level(new QProgressBar(this))
    , m_processing(new QCheckBox(tr("&Echo cancellation and noise suppression"), this))
    , m_speakerTest(new QPushButton(tr("Play &test sound"), this))
    , m_ringerTest(new QPushButton(tr("Play test so&und"), this))
    , m_testCall(new QPushButton(tr("Test &call"), this))
    , m_testCallStatus(new QLabel(this))
{
    setObjectName(QStringLiteral("audioSettings"));
    const struct
    {
        QWidget *widget;
        const char *name;
        QString accessible;
    } widgets[] = {{m_input, "inputDevice", tr("Microphone")},
                   {m_output, "outputDevice", tr("Speaker")},
                   {m_ringer, "ringerDevice", tr("Ringer")},
                   {m_level, "microphoneLevel", tr("Microphone level")},
                   {m_processing, "audioProcessing", tr("Echo cancellation and noise suppression")},
                   {m_speakerTest, "speakerTestButton", tr("Play a test sound on the speaker")},
                   {m_ringerTest, "ringerTestButton", tr("Play a test sound on the ringer")},
                   {m_testCall, "testCallButton", tr("Test call")},
                   {m_testCallStatus, "testCallStatus", tr("Test call result")}};
    for (const auto &w : widgets) {
        w.widget->setObjectName(QString::fromLatin1(w.name));
        w.widget->setAccessibleName(w.accessible);
    }
    m_level->setRange(0, 100);
    m_testCall->setToolTip(tr("Calls the service's echo: you hear yourself a second later, and "
                              "the round trip is measured. It hangs up by itself."));
    m_processing->setToolTip(
        tr("Keeps the other side from hearing your speaker and the noise around you. With a "
           "headset you can turn it off: calls then take about a third less CPU. Applies at "
           "once, "
           "also in a call."));
    m_processing->setChecked(m_settings.flag(Key::AudioProcessing));
    m_testCallStatus->setWordWrap(true);
    m_testCallStatus->setVisible(false);

    auto *form = new QFormLayout(this);
    auto addRow = [this, form](const QString &label, QWidget *field, QWidget *extra) {
        auto *l = new QLabel(label, this);
        l->setBuddy(field);
        auto *row = new QHBoxLayout;
        row->addWidget(field, 1);
        if (extra)
            row->addWidget(extra);
        form->addRow(l, row);
    };
    addRow(tr("&Microphone:"), m_input, nullptr);
    auto *levelLabel = new QLabel(tr("Level:"), this);
    form->addRow(levelLabel, m_level);
    addRow(tr("S&peaker:"), m_output, m_speakerTest);
    addRow(tr("&Ringer:"), m_ringer, m_ringerTest);
    form->addRow(m_processing);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testCall);
    testRow->addWidget(m_testCallStatus, 1);
    form->addRow(testRow);

    const std::pair<QComboBox *, Key> deviceKeys[] = {
        {m_input, Key::AudioInput}, {m_output, Key::AudioOutput}, {m_ringer, Key::AudioRinger}};
    for (const auto &[box, key] : deviceKeys) {
        connect(box, &QComboBox::activated, this, [this, box, key](int index) {
            m_settings.setValue(key, box->itemData(index).toString());
            reloadDevices(); // the marks follow the choice
            if (box == m_input)
                restartMeter();
        });
    }
    connect(m_processing, &QCheckBox::toggled, this,
            [this](bool on) { m_settings.setValue(Key::AudioProcessing, on); });
    connect(&m_settings, &storage::Settings::changed, this, [this](Key key, const QVariant &value) {
        if (key == Key::AudioProcessing && value.toBool() != m_processing->isChecked()) {
            const QSignalBlocker blocker(m_processing);
            m_processing->setChecked(value.toBool());
        }
    });
    connect(m_speakerTest, &QPushButton::clicked, this, [this] {
        if (m_check)
            m_check->playTestSound(AudioDevices::Role::Output);
    });
    connect(m_ringerTest, &QPushButton::clicked, this, [this] {
        if (m_check)
            m_check->playTestSound(AudioDevices::Role::Ringer);
    });
    connect(m_testCall, &QPushButton::clicked, this, [this] {
        if (m_check)
            m_check->startTestCall();
    });
    setAudioCheck(nullptr);
}

void AudioSettings::makeDeviceSide()
{
    if (m_devices)
        return;
    m_devices = new AudioDevices(this);
    m_meter = new media::InputLevelMeter(this);
    m_warning = new DeviceWarning(
        m_settings,
        {AudioDevices::Role::Input, AudioDevices::Role::Output, AudioDevices::Role::Ringer}, this);
    static_cast<QFormLayout *>(layout())->addRow(m_warning);
    connect(m_devices, &AudioDevices::devicesChanged, this, &AudioSettings::reloadDevices);
    connect(m_meter, &media::InputLevelMeter::levelChanged, this,
            [this](double level) { m_level->setValue(int(level * 100 + 0.5)); });
    reloadDevices();
}

void AudioSettings::setAudioCheck(AudioCheck *check)
{
    if (m_check)
        m_check->disconnect(this);
    m_check = check;
    if (check)
        connect(check, &AudioCheck::testCallChanged, this, &AudioSettings::showTestCall);
    m_speakerTest->setEnabled(check);
    m_ringerTest->setEnabled(check);
    showTestCall();
}

void AudioSettings::showEvent(QShowEvent *event)
{
    QGroupBox::showEvent(event);
    makeDeviceSide();
    restartMeter();
}

void AudioSettings::hideEvent(QHideEvent *event)
{
    QGroupBox::hideEvent(event);
    if (m_meter)
        m_meter->stop();
}

void AudioSettings::restartMeter()
{
    if (m_meter && isVisible())
        m_meter->start(m_settings.string(Key::AudioInput).toUtf8());
}

void AudioSettings::reloadDevices()
{
    if (!m_devices)
        return; // made, and filled, on the first show
    const std::tuple<QComboBox *, AudioDevices::Role, Key> lists[] = {
        {m_input, AudioDevices::Role::Input, Key::AudioInput},
        {m_output, AudioDevices::Role::Output, Key::AudioOutput},
        {m_ringer, AudioDevices::Role::Ringer, Key::AudioRinger}};
    for (const auto &[box, role, key] : lists) {
        const QString chosen = m_settings.string(key);
        fillDevices(box, m_devices->devices(role, chosen.toUtf8()), chosen);
    }
    showMicrophonePresence();
}

void AudioSettings::showMicrophonePresence()
{
    const bool none = DeviceWarning::noMicrophone();
    if (none && m_input->count() == 1 && m_input->itemData(0).toString().isEmpty())
        m_input->setItemText(0, tr("No microphone found"));
    m_level->setEnabled(!none);
    m_level->setTextVisible(none); // the bar itself says why it does not move
    m_level->setFormat(none ? tr("No microphone") : QString());
    m_level->setToolTip(none ? tr("No microphone is connected: there is nothing to measure.")
                             : tr("Speak: the bar moves when the microphone hears you."));
    m_level->setAccessibleDescription(none ? m_level->toolTip() : QString());
    if (none)
        m_level->setValue(0);
    showTestCall();
}

void AudioSettings::showTestCall()
{
    const TestCallStatus status = m_check ? m_check->testCall() : TestCallStatus{};
    const bool running = status.state == TestCallStatus::State::Calling ||
                         status.state == TestCallStatus::State::Connected;
    // Not known before the first show (and not on screen either).
    const bool noMicrophone = m_devices && DeviceWarning::noMicrophone();
    m_testCall->setEnabled(m_check && !running && !noMicrophone);
    const QString roundTrip = status.roundTripMs >= 0
                                  ? tr("round trip %1 ms").arg(qRound(status.roundTripMs))
                                  : tr("round trip not measured yet");
    QString text;
    switch (status.state) {
    case TestCallStatus::State::Idle:
        if (noMicrophone)
            text = tr("A test call needs a microphone: the echo service returns what you say, "
                      "and none is connected.");
        break;
    case TestCallStatus::State::Calling:
        text = tr("Calling the echo service...");
        break;
    case TestCallStatus::State::Connected:
        text = tr("Connected: speak, you hear yourself a second later (%1).").arg(roundTrip);
        break;
    case TestCallStatus::State::Done:
        text = tr("Test call finished: %1.").arg(roundTrip);
        break;
    case TestCallStatus::State::Failed:
        text = tr("Test call failed: %1").arg(status.error);
        break;
    }
    m_testCallStatus->setText(text);
    m_testCallStatus->setAccessibleDescription(text);
    m_testCallStatus->setVisible(!text.isEmpty());
}

} // namespace softphone::ui
