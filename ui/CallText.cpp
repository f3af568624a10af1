#include "CallText.h"

namespace softphone::ui {

QString CallText::causeKey(const client::CallDetails &details)
{
    QString key = client::endCauseName(details.endCause);
    if (details.endCause == client::EndCause::Failure && details.error)
        key += QLatin1Char(':') + details.error->code;
    return key;
}

QString CallText::endCause(const QString &causeKey, bool outgoing)
{
    const QString cause = causeKey.section(QLatin1Char(':'), 0, 0);
    const QString code = causeKey.section(QLatin1Char(':'), 1);
    if (cause == QLatin1String("denied"))
        return tr("Declined");
    if (cause == QLatin1String("no_answer") || cause == QLatin1String("timeout"))
        return tr("No answer");
    if (cause == QLatin1String("canceled"))
        return outgoing ? tr("Canceled") : tr("Caller hung up");
    if (cause == QLatin1String("hung_up"))
        return tr("Call ended");
    if (cause == QLatin1String("other_device_answered"))
        return tr("Answered on another device");
    if (cause == QLatin1String("dnd"))
        return tr("Do not disturb");
    if (cause == QLatin1String("failure")) {
        if (code == QLatin1String("unknown_user"))
            return tr("Unknown user");
        if (code == QLatin1String("no_device"))
            return tr("Unavailable");
        if (code == QLatin1String("invalid_user") || code == QLatin1String("bad_request"))
            return tr("Invalid user name");
        return tr("Connection lost");
    }
    return tr("Call ended");
}

QString CallText::endCause(const client::CallDetails &details, bool outgoing)
{
    return endCause(causeKey(details), outgoing);
}

bool CallText::isMissed(const QString &causeKey)
{
    const QString cause = causeKey.section(QLatin1Char(':'), 0, 0);
    return cause == QLatin1String("canceled") || cause == QLatin1String("no_answer") ||
           cause == QLatin1String("timeout") || cause == QLatin1String("failure") ||
           cause == QLatin1String("dnd");
}

QString CallText::duration(qint64 ms)
{
    const qint64 total = ms / 1000;
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

} // namespace softphone::ui
