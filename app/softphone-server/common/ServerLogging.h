#pragma once
// The server's logging categories, one per role (softphone.server.<role>),
// declared here rather than in core/common/Logging.h: only softphone-server
// logs in them, so core does not carry names of an executable's areas.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServerCalling)
Q_DECLARE_LOGGING_CATEGORY(lcServerApp)
Q_DECLARE_LOGGING_CATEGORY(lcServerPush)
Q_DECLARE_LOGGING_CATEGORY(lcServerBus)
