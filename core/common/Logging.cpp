#include "Logging.h"

Q_LOGGING_CATEGORY(lcCrypto, "softphone.core.crypto")
Q_LOGGING_CATEGORY(lcProtocol, "softphone.core.protocol")
Q_LOGGING_CATEGORY(lcClient, "softphone.core.client")
Q_LOGGING_CATEGORY(lcCall, "softphone.core.call")
Q_LOGGING_CATEGORY(lcPush, "softphone.core.push")
Q_LOGGING_CATEGORY(lcMedia, "softphone.core.media")
Q_LOGGING_CATEGORY(lcStorage, "softphone.core.storage")
Q_LOGGING_CATEGORY(lcServerCalling, "softphone.server.calling")
Q_LOGGING_CATEGORY(lcServerApp, "softphone.server.appserver")
Q_LOGGING_CATEGORY(lcServerPush, "softphone.server.push")
