#pragma once
// What a contact's presence is, as the service tells its subscribers
// (docs/protocol.md "Presence"): one word on the wire, an enum in the code.
// Kept apart from Codes.h because the GUI, the client and the service all use
// it and nothing else of the codes.

#include <QString>
#include <optional>

namespace softphone::protocol {

// Offline: no calling connection of the user; DoNotDisturb: every calling
// device of the user said `presence_set dnd`; Online: at least one did not.
enum class PresenceStatus { Offline, Online, DoNotDisturb };

// "offline", "online", "dnd".
QString presenceStatusName(PresenceStatus status);
std::optional<PresenceStatus> presenceStatusFromName(const QString &name);

} // namespace softphone::protocol
