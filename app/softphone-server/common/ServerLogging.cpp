#include "ServerLogging.h"

Q_LOGGING_CATEGORY(lcServerCalling, "softphone.server.calling")
Q_LOGGING_CATEGORY(lcServerApp, "softphone.server.appserver")
Q_LOGGING_CATEGORY(lcServerPush, "softphone.server.push")
Q_LOGGING_CATEGORY(lcServerBus, "softphone.server.bus")
