// The Q_OBJECT helpers of TrayTestSupport.h get their moc here.
#include "TrayTestSupport.h"
