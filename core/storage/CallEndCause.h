#pragma once
// The end-cause keys the call history stores (CallRecord::endCause), defined
// once here: what the app writes and what ui translates into words. A key is
// one of the causes below, for failures optionally followed by ":<error code>"
// ("failure:peer_lost"). The causes are spelled like the protocol's end causes
// (docs/protocol.md "Calls", client::endCauseName), plus "dnd" for a call the
// user's do-not-disturb turned away; rows already stored keep their meaning,
// so a key is never renamed.

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

namespace softphone::storage::endcause {

inline constexpr QLatin1StringView kDenied{"denied"};
inline constexpr QLatin1StringView kNoAnswer{"no_answer"};
inline constexpr QLatin1StringView kTimeout{"timeout"};
inline constexpr QLatin1StringView kCanceled{"canceled"};
inline constexpr QLatin1StringView kHungUp{"hung_up"};
inline constexpr QLatin1StringView kFailure{"failure"};
inline constexpr QLatin1StringView kOtherDeviceAnswered{"other_device_answered"};
inline constexpr QLatin1StringView kDoNotDisturb{"dnd"};

// The key for a cause name; a failure's error code is appended when given.
QString key(const QString &cause, QStringView errorCode = {});
// The cause part of a key ("failure" of "failure:peer_lost").
QStringView causeOf(QStringView key);
// The error code part of a key (empty when there is none).
QStringView errorCodeOf(QStringView key);
// Whether an incoming call that ended this way, never answered, counts as missed.
bool isMissed(QStringView key);

} // namespace softphone::storage::endcause
