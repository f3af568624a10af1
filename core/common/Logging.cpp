#include "Logging.h"

Q_LOGGING_CATEGORY(lcCrypto, "softphone.core.crypto")
Q_LOGGING_CATEGORY(lcProtocol, "softphone.core.protocol")
Q_LOGGING_CATEGORY(lcClient, "softphone.core.client")
Q_LOGGING_CATEGORY(lcCall, "softphone.core.call")
Q_LOGGING_CATEGORY(lcPush, "softphone.core.push")
Q_LOGGING_CATEGORY(lcMedia, "softphone.core.media")
Q_LOGGING_CATEGORY(lcStorage, "softphone.core.storage")
