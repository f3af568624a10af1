#include "PushWriter.h"

#include "SqlPushStore.h"
#include "softphone-server/common/ServerLogging.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QObject>
#include <QThread>
#include <memory>

namespace softphone::server::push {

PushWriter::PushWriter(QObject *context)
    : m_context(context)
{}

PushWriter::~PushWriter()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
    delete m_thread;
    qCInfo(lcServerPush) << "push.db writer stopped after" << m_changes << "changes in"
                         << m_transactions << "transactions";
}

bool PushWriter::start(const SqlDatabase &where, QString *error)
{
    m_thread = QThread::create([this, where] { run(where); });
    m_thread->setObjectName(QStringLiteral("push.db writer"));
    m_thread->start();
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_openDone; });
    if (!m_opened) {
        *error = m_openError;
        lock.unlock();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        return false;
    }
    return true;
}

void PushWriter::run(const SqlDatabase &where)
{
    SqlPushStore store;
    {
        QString error;
        const bool opened = store.open(where, &error);
        std::lock_guard lock(m_mutex);
        m_opened = opened;
        m_openError = error;
        m_openDone = true;
        m_wake.notify_all();
        if (!opened)
            return;
    }
    std::vector<Change> batch;
    bool failed = false;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            // After a failure, wait a little: the database is probably down.
            if (failed)
                m_wake.wait_for(lock, std::chrono::milliseconds(kRetryDelayMs),
                                [this] { return m_stopping; });
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping && failed)
                return; // the database is down: what is queued cannot be committed
            if (m_queue.empty())
                return; // stopping, and everything queued is committed
            if (m_queue.size() <= kMaxBatch) {
                batch.swap(m_queue);
            } else {
                const auto end = m_queue.begin() + qsizetype(kMaxBatch);
                batch.assign(std::make_move_iterator(m_queue.begin()),
                             std::make_move_iterator(end));
                m_queue.erase(m_queue.begin(), end);
            }
        }
        failed = !commit(store, batch);
        batch.clear();
    }
}

bool PushWriter::commit(PushStore &store, std::vector<Change> &batch)
{
    // Outcomes travel back with their callbacks in one queued call per transaction.
    auto results = std::make_shared<std::vector<std::pair<Done, Outcome>>>();
    results->reserve(batch.size());
    QElapsedTimer took;
    took.start();
    const bool began = store.beginBatch();
    QString failure = began ? QString() : store.lastError();
    for (Change &change : batch) {
        Outcome outcome;
        if (began)
            outcome = change.apply(store);
        else
            outcome.error = failure;
        results->emplace_back(std::move(change.done), std::move(outcome));
    }
    if (began && !store.commitBatch()) {
        failure = store.lastError();
        store.rollbackBatch();
        for (auto &[done, outcome] : *results)
            outcome = Outcome{false, 0, failure};
    }
    if (!failure.isEmpty()) {
        qCWarning(lcServerPush) << "push store: a transaction of" << batch.size()
                                << "changes failed:" << failure;
        // Acks go back to the head of the queue, in their order, for the next try.
        std::vector<Change> kept;
        for (size_t i = 0; i < batch.size(); ++i) {
            if (batch[i].untilCommitted) {
                kept.push_back(
                    Change{std::move(batch[i].apply), std::move((*results)[i].first), true});
                (*results)[i].first = nullptr;
            }
        }
        if (!kept.empty()) {
            std::lock_guard lock(m_mutex);
            m_queue.insert(m_queue.begin(), std::make_move_iterator(kept.begin()),
                           std::make_move_iterator(kept.end()));
        }
    } else if (took.elapsed() >= kSlowCommitMs)
        qCWarning(lcServerPush) << "push store: a transaction of" << batch.size() << "changes took"
                                << took.elapsed() << "ms";
    ++m_transactions;
    m_changes += batch.size();
    QMetaObject::invokeMethod(
        m_context,
        [results] {
            for (const auto &[done, outcome] : *results) {
                if (done)
                    done(outcome);
            }
        },
        Qt::QueuedConnection);
    return failure.isEmpty();
}

void PushWriter::enqueue(std::function<Outcome(PushStore &)> apply, Done done, bool untilCommitted)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Change{std::move(apply), std::move(done), untilCommitted});
    }
    m_wake.notify_one();
}

size_t PushWriter::queued()
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void PushWriter::storeMessage(const PushStore::Message &message, int backlogCap, Done done)
{
    enqueue(
        [message, backlogCap](PushStore &store) {
            int dropped = 0;
            const bool ok = store.storeMessage(message, backlogCap, &dropped).has_value();
            return Outcome{ok, dropped, ok ? QString() : store.lastError()};
        },
        std::move(done));
}

void PushWriter::deleteMessage(const QString &uaid, const QString &version, Done done)
{
    enqueue(
        [uaid, version](PushStore &store) {
            const bool removed = store.deleteMessage(uaid, version);
            return Outcome{true, removed ? 1 : 0, QString()};
        },
        std::move(done), true);
}

void PushWriter::deleteMessageByVersion(const QString &version, Done done)
{
    enqueue(
        [version](PushStore &store) {
            const bool removed = store.deleteMessageByVersion(version);
            return Outcome{true, removed ? 1 : 0, QString()};
        },
        std::move(done));
}

void PushWriter::addDevice(const QString &uaid, Done done)
{
    enqueue(
        [uaid](PushStore &store) {
            const bool ok = store.addDevice(uaid);
            return Outcome{ok, 0, ok ? QString() : store.lastError()};
        },
        std::move(done));
}

void PushWriter::addSubscription(const PushStore::Subscription &subscription, int maxLive,
                                 Done done)
{
    enqueue(
        [subscription, maxLive](PushStore &store) {
            const auto result = store.addSubscription(subscription, maxLive);
            const bool ok = result != PushStore::AddResult::Failed;
            return Outcome{ok, result == PushStore::AddResult::Added ? 1 : 0,
                           ok ? QString() : store.lastError()};
        },
        std::move(done));
}

void PushWriter::markGone(const QString &uaid, const QString &channelId, int keepTombstones,
                          Done done)
{
    enqueue(
        [uaid, channelId, keepTombstones](PushStore &store) {
            const bool ok = store.markGone(uaid, channelId, keepTombstones);
            return Outcome{ok, 0, ok ? QString() : store.lastError()};
        },
        std::move(done));
}

void PushWriter::purgeExpired(qint64 nowMs, Done done)
{
    enqueue(
        [nowMs](PushStore &store) {
            return Outcome{true, store.purgeExpired(nowMs), {}};
        },
        std::move(done));
}

} // namespace softphone::server::push
