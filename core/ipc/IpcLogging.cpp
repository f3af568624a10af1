#include "IpcLogging.h"

Q_LOGGING_CATEGORY(lcIpc, "softphone.core.ipc")
