#pragma once
// The call history: one row per ended call. Missed incoming calls stay
// "unseen" (counted for the badge) until the user looks at the history.

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace softphone::storage {

class Database;

struct CallRecord
{
    qint64 id = 0;
    QString callId;
    QString remoteUser;
    bool outgoing = false;
    bool missed = false; // incoming, never answered here or elsewhere by us
    QDateTime startedAt;
    qint64 durationMs = 0;
    QString endCause; // a key of CallEndCause.h: "canceled", "failure:peer_lost", ...
    QString subject;  // the caller's "subject" header, if any
    bool seen = true;
};

class CallHistory : public QObject
{
    Q_OBJECT

public:
    explicit CallHistory(Database &database, QObject *parent = nullptr);

    // Returns the new row id, 0 on failure. A missed call is stored unseen.
    qint64 add(const CallRecord &record);
    QList<CallRecord> recent(int limit = 500) const;
    int unseenMissedCount() const;
    void markMissedSeen();
    bool remove(qint64 id);
    // Distinct remote users, most recent first (dialer completion).
    QStringList remoteUsers(int limit = 200) const;

signals:
    void changed();
    void unseenMissedCountChanged(int count);

private:
    Database &m_db;
};

} // namespace softphone::storage
