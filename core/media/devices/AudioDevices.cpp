#include "AudioDevices.h"

#include <QMediaDevices>

namespace softphone::media {

AudioDevices::AudioDevices(QObject *parent)
    : QObject(parent)
    , m_media(new QMediaDevices(this))
{
    connect(m_media, &QMediaDevices::audioInputsChanged, this,
            [this] { emit devicesChanged(Role::Input); });
    connect(m_media, &QMediaDevices::audioOutputsChanged, this, [this] {
        emit devicesChanged(Role::Output);
        emit devicesChanged(Role::Ringer);
    });
}

QList<AudioDevices::Entry> AudioDevices::devices(Role role, const QByteArray &chosenId) const
{
    QList<Entry> list;
    list.append({QByteArray(), tr("System default"), true});
    const QList<QAudioDevice> all =
        role == Role::Input ? QMediaDevices::audioInputs() : QMediaDevices::audioOutputs();
    bool chosenSeen = chosenId.isEmpty();
    for (const QAudioDevice &d : all) {
        list.append({d.id(), d.description(), true});
        chosenSeen = chosenSeen || d.id() == chosenId;
    }
    if (!chosenSeen)
        list.append({chosenId, tr("%1 (unavailable)").arg(QString::fromUtf8(chosenId)), false});
    return list;
}

QAudioDevice AudioDevices::resolve(Role role, const QByteArray &id, bool *found)
{
    const QList<QAudioDevice> all =
        role == Role::Input ? QMediaDevices::audioInputs() : QMediaDevices::audioOutputs();
    if (found)
        *found = id.isEmpty();
    if (!id.isEmpty()) {
        for (const QAudioDevice &d : all)
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
