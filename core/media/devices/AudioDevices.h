#pragma once
// The audio devices the user can choose from, per role, with a "System
// default" entry (empty id) that follows whatever the OS makes default. Each
// entry says whether it is the system default and whether it is the one a
// call would use now (the chosen device, or the default while it is missing).
// Qt 6.4's PulseAudio backend does not always signal a removed device, so the
// lists are also compared once a second (Qt's cached lists only).

#include <QAudioDevice>
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class QMediaDevices;
class QTimer;

namespace softphone::media {

class AudioDevices : public QObject
{
    Q_OBJECT
public:
    enum class Role { Input, Output, Ringer };
    Q_ENUM(Role)

    struct Entry
    {
        QByteArray id; // empty = System default
        QString description;
        bool available = true;
        bool isDefault = false; // the device "System default" stands for now
        bool inUse = false;     // the device opened for the chosen id now
    };

    explicit AudioDevices(QObject *parent = nullptr);

    // "System default" first; a chosen id that is gone is kept as an
    // unavailable entry so the user sees what was lost.
    QList<Entry> devices(Role role, const QByteArray &chosenId = {}) const;
    // The device to open for an id: the default for an empty or missing id;
    // null when the system has no device of that kind at all.
    static QAudioDevice resolve(Role role, const QByteArray &id, bool *found = nullptr);
    // The id of the device "System default" stands for now (empty when none).
    static QByteArray defaultId(Role role);
    // The chosen device is gone (a non-empty id the system does not list).
    static bool isMissing(Role role, const QByteArray &chosenId);

signals:
    void devicesChanged(softphone::media::AudioDevices::Role role);

private:
    void checkLists();

    QMediaDevices *m_media;
    QTimer *m_watch;
    QByteArray m_inputsSeen; // ids and the default, to notice changes not signalled
    QByteArray m_outputsSeen;
};

} // namespace softphone::media
