#pragma once
// The logging category of UDP media (core/rtp): softphone.core.rtp.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRtp)
