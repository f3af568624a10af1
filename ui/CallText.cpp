#include "CallText.h"

#include "storage/CallEndCause.h"

namespace softphone::ui {

namespace endcause = storage::endcause;

QString CallText::causeKey(const client::CallDetails &details)
{
    return endcause::key(client::endCauseName(details.endCause),
                         details.error ? QStringView(details.error->code) : QStringView());
}

QString CallText::endCause(const QString &causeKey, bool outgoing)
{
    const QStringView cause = endcause::causeOf(causeKey);
    const QStringView code = endcause::errorCodeOf(causeKey);
    if (cause == endcause::kDenied)
        return tr("Declined");
    if (cause == endcause::kNoAnswer || cause == endcause::kTimeout)
        return tr("No answer");
    if (cause == endcause::kCanceled)
        return outgoing ? tr("Canceled") : tr("Caller hung up");
    if (cause == endcause::kHungUp)
        return tr("Call ended");
    if (cause == endcause::kOtherDeviceAnswered)
        return tr("Answered on another device");
    if (cause == endcause::kDoNotDisturb)
        return tr("Do not disturb");
    if (cause == endcause::kFailure) {
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
