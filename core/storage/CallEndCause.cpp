#include "CallEndCause.h"

namespace softphone::storage::endcause {

QString key(const QString &cause, QStringView errorCode)
{
    QString result = cause;
    if (cause == kFailure && !errorCode.isEmpty()) {
        result += QLatin1Char(':');
        result += errorCode;
    }
    return result;
}

QStringView causeOf(QStringView key)
{
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    return colon < 0 ? key : key.left(colon);
}

QStringView errorCodeOf(QStringView key)
{
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    return colon < 0 ? QStringView() : key.mid(colon + 1);
}

bool isMissed(QStringView key)
{
    const QStringView cause = causeOf(key);
    return cause == kCanceled || cause == kNoAnswer || cause == kTimeout || cause == kFailure ||
           cause == kDoNotDisturb;
}

} // namespace softphone::storage::endcause
