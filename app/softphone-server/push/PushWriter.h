#pragma once
// The one writer of the push store: a thread with its own connection that commits
// queued changes in groups. Whatever is queued while a commit is being fsynced goes
// into the next transaction, so one fsync covers many pushes and acks. Changes are
// applied in queue order (an ack queued after its push deletes it; it never comes
// back). Threading contract: every method is called on the owner's thread, and each
// change's `done` runs there too (a queued call on `context`), only once the
// transaction holding the change is committed and fsynced, or has failed. An ack is
// never reported failed: while the database is unavailable it is kept and tried
// again (once a second), so an acknowledged message is never sent again.

#include "PushStore.h"
#include "softphone-server/common/SqlDatabase.h"

#include <QString>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

class QObject;
class QThread;

namespace softphone::server::push {

class PushWriter
{
public:
    struct Outcome
    {
        bool ok = false;
        qint64 count = 0; // store: messages dropped for the cap; delete/purge: rows removed
        QString error;
    };
    using Done = std::function<void(const Outcome &)>;

    explicit PushWriter(QObject *context);
    // Commits what is still queued, then stops (outcomes then go nowhere).
    ~PushWriter();
    PushWriter(const PushWriter &) = delete;
    PushWriter &operator=(const PushWriter &) = delete;

    // Opens the writer's connection on its thread; false (with the reason) if it cannot.
    bool start(const SqlDatabase &where, QString *error);

    void storeMessage(const PushStore::Message &message, int backlogCap, Done done);
    // An ack: nothing waits for it (done only clears the role's bookkeeping).
    void deleteMessage(const QString &uaid, const QString &version, Done done);
    void deleteMessageByVersion(const QString &version, Done done);
    void addDevice(const QString &uaid, Done done);
    // count: 1 if stored, 0 if the device already had maxLive live subscriptions.
    void addSubscription(const PushStore::Subscription &subscription, int maxLive, Done done);
    void markGone(const QString &uaid, const QString &channelId, int keepTombstones, Done done);
    void purgeExpired(qint64 nowMs, Done done);

    // Changes queued and not yet taken into a transaction (the disk is that far behind).
    size_t queued();

    // At most this many changes per transaction, so one commit stays short.
    static constexpr size_t kMaxBatch = 1000;
    // A transaction this slow is logged (every 201 in it waited that long).
    static constexpr qint64 kSlowCommitMs = 30;
    // After a failed transaction, the next one waits this long (the database is
    // probably down; acks kept for it are tried again then).
    static constexpr int kRetryDelayMs = 1000;

private:
    struct Change
    {
        std::function<Outcome(PushStore &)> apply;
        Done done;
        bool untilCommitted = false; // an ack: kept and tried again until committed
    };

    void enqueue(std::function<Outcome(PushStore &)> apply, Done done, bool untilCommitted = false);
    void run(const SqlDatabase &where);
    // False if the transaction failed.
    bool commit(PushStore &store, std::vector<Change> &batch);

    QObject *m_context;
    QThread *m_thread = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Change> m_queue;
    bool m_stopping = false;
    // Start-up handshake: the thread reports whether its connection opened.
    bool m_opened = false;
    bool m_openDone = false;
    QString m_openError;
    quint64 m_transactions = 0;
    quint64 m_changes = 0;
};

} // namespace softphone::server::push
