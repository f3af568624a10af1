#pragma once
// Slows password guessing: at most kMaxFailures failed logins per user name per
// minute; past that every attempt for that name gets 429 until the window passes.
// Thread-safe: failures are recorded by the login workers.

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace softphone::server::appserver {

class LoginRateLimiter
{
public:
    static constexpr int kMaxFailures = 10;
    static constexpr int kWindowSeconds = 60;

    bool isBlocked(const QString &user, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void recordFailure(const QString &user, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // Seconds until the oldest failure in the window expires (for Retry-After).
    int retryAfterSeconds(const QString &user,
                          const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

private:
    void prune(const QString &user, const QDateTime &now);

    // Failure times per user name; names with no recent failure are dropped, so
    // guessing many names costs memory only for a minute.
    QHash<QString, QList<QDateTime>> m_failures;
    mutable QMutex m_mutex;
};

} // namespace softphone::server::appserver
