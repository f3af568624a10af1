#include "TrayLogging.h"

Q_LOGGING_CATEGORY(lcTray, "softphone.tray")
