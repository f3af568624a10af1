#pragma once
// The receiver's state, kept in <stateDir>/push-channel.json: the uaid, each
// subscription's channel and endpoint, and the versions recently handed to the
// application (so a redelivery after a lost ack is dropped). The uaid is enough
// to take the device's channel over (hello with it), so the file is written
// 0600 from its first byte in a 0700 folder (writePrivateFile); one left open
// by an older version is closed on load. Private keys and auth secrets are not
// here: they live in a PushSecretStore.

#include "common/RecentIds.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace softphone::push {

struct PushChannelState
{
    struct Entry
    {
        QString name;
        QString channelId;
        QByteArray vapidKey; // raw 65 bytes, empty = unrestricted
        QByteArray p256dh;
        QUrl endpoint; // empty until the service confirmed the registration
    };

    static constexpr int kMaxRecentVersions = 1000;

    QString uaid;
    QList<Entry> entries;
    QStringList pendingUnregister;                // channelIDs to unregister at the next connection
    RecentIds recentVersions{kMaxRecentVersions}; // saved oldest first

    bool load(const QString &path, QString *error);
    bool save(const QString &path, QString *error) const;

    Entry *byName(const QString &name);
    Entry *byChannel(const QString &channelId);
};

} // namespace softphone::push
