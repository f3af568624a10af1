#pragma once
// The softphone executable's own logging category.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApp)
