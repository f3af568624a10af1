#include "MediaDescription.h"

#include <QJsonArray>

namespace softphone::protocol {

namespace {

bool isIceChars(QStringView text, int minChars, int maxChars)
{
    if (text.size() < minChars || text.size() > maxChars)
        return false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                        (u >= '0' && u <= '9') || u == '+' || u == '/';
        if (!ok)
            return false;
    }
    return true;
}

// "sha-256 " and 32 uppercase hex pairs joined by ':'.
bool isValidFingerprint(QStringView text)
{
    const QStringView prefix = u"sha-256 ";
    if (!text.startsWith(prefix) || text.size() != prefix.size() + 32 * 3 - 1)
        return false;
    const QStringView hex = text.mid(prefix.size());
    for (qsizetype i = 0; i < hex.size(); ++i) {
        const char16_t u = hex[i].unicode();
        if (i % 3 == 2 ? u != ':' : !((u >= '0' && u <= '9') || (u >= 'A' && u <= 'F')))
            return false;
    }
    return true;
}

std::optional<MediaDescription> refuse(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

} // namespace

bool isValidIceUfrag(QStringView ufrag)
{
    return isIceChars(ufrag, 4, kMaxIceUfragChars);
}

bool isValidCandidateLine(QStringView line)
{
    if (line.isEmpty() || line.size() > kMaxCandidateChars)
        return false;
    if (!line.startsWith(u"candidate:") && !line.startsWith(u"a=candidate:"))
        return false;
    for (QChar c : line) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

QJsonObject MediaDescription::toJson() const
{
    QJsonObject o{{QStringLiteral("version"), kMediaVersion},
                  {QStringLiteral("dtls"), QJsonObject{{QStringLiteral("fingerprint"), fingerprint},
                                                       {QStringLiteral("setup"), setup}}}};
    if (!frameMs.isEmpty()) {
        QJsonArray durations;
        for (int ms : frameMs)
            durations.append(ms);
        o.insert(QStringLiteral("opus"), QJsonObject{{QStringLiteral("frameMs"), durations}});
    }
    if (telephoneEvent != 0)
        o.insert(QStringLiteral("telephoneEvent"), telephoneEvent);
    if (hasIce())
        o.insert(QStringLiteral("ice"),
                 QJsonObject{{QStringLiteral("ufrag"), iceUfrag}, {QStringLiteral("pwd"), icePwd}});
    return o;
}

std::optional<MediaDescription> MediaDescription::fromJson(const QJsonValue &value, QString *why)
{
    if (!value.isObject())
        return refuse(why, QStringLiteral("an object {version, ice, dtls}"));
    const QJsonObject o = value.toObject();
    if (o.value(QLatin1StringView("version")).toInt(-1) != kMediaVersion)
        return refuse(why, QStringLiteral("version %1").arg(kMediaVersion));
    const QJsonObject ice = o.value(QLatin1StringView("ice")).toObject();
    const QJsonObject dtls = o.value(QLatin1StringView("dtls")).toObject();
    MediaDescription media{ice.value(QLatin1StringView("ufrag")).toString(),
                           ice.value(QLatin1StringView("pwd")).toString(),
                           dtls.value(QLatin1StringView("fingerprint")).toString(),
                           dtls.value(QLatin1StringView("setup")).toString()};
    // Without `ice` the endpoint takes only the WebSocket relay (DTLS-SRTP over it).
    const bool withIce = o.contains(QLatin1StringView("ice"));
    if (withIce && !isValidIceUfrag(media.iceUfrag))
        return refuse(why,
                      QStringLiteral("ice.ufrag of 4-%1 ICE characters").arg(kMaxIceUfragChars));
    if (withIce && !isIceChars(media.icePwd, 22, kMaxIcePwdChars))
        return refuse(why, QStringLiteral("ice.pwd of 22-%1 ICE characters").arg(kMaxIcePwdChars));
    if (!isValidFingerprint(media.fingerprint))
        return refuse(why, QStringLiteral("dtls.fingerprint \"sha-256 \" and 32 uppercase hex "
                                          "pairs joined by ':'"));
    if (media.setup != QLatin1StringView("actpass") && media.setup != QLatin1StringView("active"))
        return refuse(why, QStringLiteral("dtls.setup \"actpass\" or \"active\""));
    if (o.contains(QLatin1StringView("opus"))) {
        const QJsonValue durations =
            o.value(QLatin1StringView("opus")).toObject().value(QLatin1StringView("frameMs"));
        const QJsonArray list = durations.toArray();
        if (!durations.isArray() || list.isEmpty() || list.size() > kMaxFrameDurations)
            return refuse(why, QStringLiteral("opus.frameMs: a list of 1-%1 frame durations")
                                   .arg(kMaxFrameDurations));
        for (const QJsonValue &entry : list) {
            const int ms = entry.toInt(-1);
            const bool opusDuration = ms == 10 || ms == 20 || ms == 40 || ms == 60;
            if (!entry.isDouble() || entry.toDouble() != ms || !opusDuration ||
                media.frameMs.contains(ms))
                return refuse(why, QStringLiteral("opus.frameMs entries 10, 20, 40 or 60, "
                                                  "each at most once"));
            media.frameMs.append(ms);
        }
    }
    if (o.contains(QLatin1StringView("telephoneEvent"))) {
        // A dynamic payload type other than the voice's (Opus 111).
        const int type = o.value(QLatin1StringView("telephoneEvent")).toInt(-1);
        if (type < 96 || type > 127 || type == 111)
            return refuse(why,
                          QStringLiteral("telephoneEvent a payload type 96-127 other than 111"));
        media.telephoneEvent = type;
    }
    return media;
}

} // namespace softphone::protocol
