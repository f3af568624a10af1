#pragma once
// The audio devices the user can choose from, per role, with a "System
// default" entry (empty id) that follows whatever the OS makes default.

#include <QAudioDevice>
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class QMediaDevices;

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

signals:
    void devicesChanged(softphone::media::AudioDevices::Role role);

private:
    QMediaDevices *m_media;
};

} // namespace softphone::media
