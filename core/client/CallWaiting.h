#pragma once
// Call waiting, the same in every front end: a second call is answered during
// a first with "Hold and answer" (the others established go on hold, unless we
// hold them already) or "End and answer" (they are hung up). The GUI's
// incoming-call window and softphone-cli's --waiting both do it through here.

#include <QList>

namespace softphone::client {

class Call;

enum class WaitingAnswer { HoldOthers, EndOthers };

// Holds or ends every established call of `calls` but `answering`; the caller
// then answers `answering`.
void makeWayFor(const Call *answering, const QList<Call *> &calls, WaitingAnswer how);

} // namespace softphone::client
