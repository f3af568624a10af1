#pragma once
// The tray agent's own logging category.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcTray)
