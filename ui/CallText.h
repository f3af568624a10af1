#pragma once
// The words the user sees for a call's outcome and length, shared by the call
// windows and the history so both say the same thing. The end-cause keys are
// storage's (CallEndCause.h); this class only translates them.

#include "client/CallTypes.h"

#include <QCoreApplication>
#include <QString>

namespace softphone::ui {

class CallText
{
    Q_DECLARE_TR_FUNCTIONS(CallText)

public:
    // What ended the call as a history key (storage/CallEndCause.h), e.g.
    // "hung_up" or "failure:peer_lost".
    static QString causeKey(const client::CallDetails &details);
    // "Declined", "No answer", "Answered on another device", "Connection lost", ...
    static QString endCause(const QString &causeKey, bool outgoing);
    static QString endCause(const client::CallDetails &details, bool outgoing);
    // "0:07", "12:34", "1:02:03".
    static QString duration(qint64 ms);
};

} // namespace softphone::ui
