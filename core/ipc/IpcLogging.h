#pragma once
// The logging category of core/ipc (softphone.core.ipc): the local sockets'
// refusals (a line too long, a silent peer, too many connections).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcIpc)
