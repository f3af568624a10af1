#include "RtpLogging.h"

Q_LOGGING_CATEGORY(lcRtp, "softphone.core.rtp")
