#include "PushChannelState.h"

#include "common/PrivateFiles.h"
#include "crypto/Base64Url.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace softphone::push {

bool PushChannelState::load(const QString &path, QString *error)
{
    *this = {};
    QFile file(path);
    if (!file.exists())
        return true;
    if (!closePrivateFile(path, error))
        return false;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object").arg(path);
        return false;
    }
    const QJsonObject root = doc.object();
    uaid = root.value(u"uaid").toString();
    const QJsonArray list = root.value(u"subscriptions").toArray();
    for (const QJsonValue &value : list) {
        const QJsonObject o = value.toObject();
        Entry entry;
        entry.name = o.value(u"name").toString();
        entry.channelId = o.value(u"channelID").toString();
        entry.vapidKey =
            fromBase64Url(o.value(u"vapidKey").toString().toLatin1()).value_or(QByteArray());
        entry.p256dh =
            fromBase64Url(o.value(u"p256dh").toString().toLatin1()).value_or(QByteArray());
        entry.endpoint = QUrl(o.value(u"endpoint").toString());
        if (!entry.name.isEmpty() && !entry.channelId.isEmpty())
            entries.append(entry);
    }
    for (const QJsonValue &value : root.value(u"pendingUnregister").toArray())
        pendingUnregister.append(value.toString());
    QStringList versions;
    for (const QJsonValue &value : root.value(u"recentVersions").toArray())
        versions.append(value.toString());
    recentVersions.assign(versions);
    return true;
}

bool PushChannelState::save(const QString &path, QString *error) const
{
    QJsonArray list;
    for (const Entry &entry : entries) {
        list.append(QJsonObject{
            {QStringLiteral("name"), entry.name},
            {QStringLiteral("channelID"), entry.channelId},
            {QStringLiteral("vapidKey"), QString::fromLatin1(toBase64Url(entry.vapidKey))},
            {QStringLiteral("p256dh"), QString::fromLatin1(toBase64Url(entry.p256dh))},
            {QStringLiteral("endpoint"), entry.endpoint.toString(QUrl::FullyEncoded)},
        });
    }
    const QJsonObject root{
        {QStringLiteral("uaid"), uaid},
        {QStringLiteral("subscriptions"), list},
        {QStringLiteral("pendingUnregister"), QJsonArray::fromStringList(pendingUnregister)},
        {QStringLiteral("recentVersions"), QJsonArray::fromStringList(recentVersions.ids())},
    };
    return writePrivateFile(path, QJsonDocument(root).toJson(QJsonDocument::Compact), error);
}

PushChannelState::Entry *PushChannelState::byName(const QString &name)
{
    for (Entry &entry : entries)
        if (entry.name == name)
            return &entry;
    return nullptr;
}

PushChannelState::Entry *PushChannelState::byChannel(const QString &channelId)
{
    for (Entry &entry : entries)
        if (entry.channelId == channelId)
            return &entry;
    return nullptr;
}

} // namespace softphone::push
