#include "AudioDevices.h"

#include <QMediaDevices>
#include <QTimer>

namespace softphone::media {

namespace {

QList<QAudioDevice> listed(AudioDevices::Role role)
{
    return role == AudioDevices::Role::Input ? QMediaDevices::audioInputs()
                                             : QMediaDevices::audioOutputs();
}

// What a list looks like, to compare: every id, then the default's.
QByteArray fingerprint(AudioDevices::Role role)
{
    QByteArray print;
    for (const QAudioDevice &d : listed(role))
        print += d.id() + '\n';
    return print + '*' + AudioDevices::defaultId(role);
}

} // namespace

AudioDevices::AudioDevices(QObject *parent)
    : QObject(parent)
    , m_media(new QMediaDevices(this))
    , m_watch(new QTimer(this))
    , m_inputsSeen(fingerprint(Role::Input))
    , m_outputsSeen(fingerprint(Role::Output))
{
    connect(m_media, &QMediaDevices::audioInputsChanged, this, &AudioDevices::checkLists);
    connect(m_media, &QMediaDevices::audioOutputsChanged, this, &AudioDevices::checkLists);
    m_watch->setInterval(1000);
    connect(m_watch, &QTimer::timeout, this, &AudioDevices::checkLists);
    m_watch->start();
}

void AudioDevices::checkLists()
{
    const QByteArray inputs = fingerprint(Role::Input);
    const QByteArray outputs = fingerprint(Role::Output);
    const bool inputsChanged = inputs != m_inputsSeen;
    const bool outputsChanged = outputs != m_outputsSeen;
    m_inputsSeen = inputs;
    m_outputsSeen = outputs;
    if (inputsChanged)
        emit devicesChanged(Role::Input);
    if (outputsChanged) {
        emit devicesChanged(Role::Output);
        emit devicesChanged(Role::Ringer);
    }
}

QList<AudioDevices::Entry> AudioDevices::devices(Role role, const QByteArray &chosenId) const
{
    QList<Entry> list;
    list.append({QByteArray(), tr("System default"), true});
    const QByteArray defaultDevice = defaultId(role);
    const QByteArray used = resolve(role, chosenId).id();
    bool chosenSeen = chosenId.isEmpty();
    for (const QAudioDevice &d : listed(role)) {
        list.append({d.id(), d.description(), true, d.id() == defaultDevice, d.id() == used});
        chosenSeen = chosenSeen || d.id() == chosenId;
    }
    if (!chosenSeen)
        list.append({chosenId, tr("%1 (unavailable)").arg(QString::fromUtf8(chosenId)), false});
    return list;
}

bool AudioDevices::isMissing(Role role, const QByteArray &chosenId)
{
    bool found = false;
    resolve(role, chosenId, &found);
    return !found;
}

QAudioDevice AudioDevices::resolve(Role role, const QByteArray &id, bool *found)
{
    if (found)
        *found = id.isEmpty();
    if (!id.isEmpty()) {
        for (const QAudioDevice &d : listed(role))
            if (d.id() == id) {
                if (found)
                    *found = true;
                return d;
            }
    }
    return role == Role::Input ? QMediaDevices::defaultAudioInput()
                               : QMediaDevices::defaultAudioOutput();
}

QByteArray AudioDevices::defaultId(Role role)
{
    return (role == Role::Input ? QMediaDevices::defaultAudioInput()
                                : QMediaDevices::defaultAudioOutput())
        .id();
}

} // namespace softphone::media
