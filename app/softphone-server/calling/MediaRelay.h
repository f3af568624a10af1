#pragma once
// Voice on the calling connection (docs/protocol.md "Media"): each binary
// frame a connection sends is one MediaFrame for that connection's established
// call, forwarded as is (never decoded) to the other party. Frames without an
// established call are dropped; a flooding connection is limited and then
// closed with 4429. Calls to the reserved user `echo` are answered by the
// service, and their audio comes back about a second later.

#include "RateLimiter.h"
#include "protocol/Limits.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <deque>
#include <memory>

namespace softphone::server::calling {

class CallingConnection;

// The user id the service answers itself (no account needed or possible).
using protocol::kEchoUserId;

class MediaRelay : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxFrameBytes = 1500;     // one UDP-sized datagram
    static constexpr int kMaxFramesPerSecond = 100; // 2 x the 50 frames/s of 20 ms voice
    static constexpr int kFrameBurst = 100;

    struct Settings
    {
        int lossPercent = 0; // test only: drop this share of relayed frames
        int echoDelayMs = 1000;
    };

    struct Stats
    {
        quint64 forwarded = 0;
        quint64 echoed = 0;
        quint64 droppedNoCall = 0;
        quint64 droppedTooLarge = 0;
        quint64 droppedRate = 0;
        quint64 droppedTestLoss = 0;
    };

    explicit MediaRelay(const Settings &settings, QObject *parent = nullptr);
    ~MediaRelay() override;

    // Reads the `calling.test_media_loss_percent` setting; false with a message when malformed.
    static bool settingsFrom(const QHash<QString, QString> &options, Settings *settings,
                             QString *error);

    // The router's events. callee == nullptr: the echo user answered.
    void callEstablished(const QString &callId, CallingConnection *caller,
                         CallingConnection *callee);
    void callFinished(const QString &callId);

    // One binary frame from an authenticated connection.
    void frameReceived(CallingConnection *from, const QByteArray &frame);

    Stats stats() const { return m_stats; }

private:
    struct Route
    {
        QString callId;
        QPointer<CallingConnection> peer; // null for the echo user
        bool echo = false;
    };
    struct Pending // an echoed frame waiting for its time
    {
        qint64 dueMs;
        QPointer<CallingConnection> to;
        QString callId;
        QByteArray frame;
    };

    // Every party of the call stops sending and receiving its media.
    void dropRoutes(const QString &callId);
    RateLimiter &limiterFor(CallingConnection *connection);
    bool testLoss();
    void sendEchoes();

    Settings m_settings;
    Stats m_stats;
    QHash<CallingConnection *, Route> m_routes; // the connection's one call with media
    QHash<QString, QList<CallingConnection *>> m_parties;
    QHash<QString, quint64> m_relayedOf; // frames relayed per call, logged when it ends
    QHash<CallingConnection *, std::shared_ptr<RateLimiter>> m_limits;
    std::deque<Pending> m_echoQueue;
    QTimer m_echoTimer;
    QElapsedTimer m_clock;
    QRandomGenerator m_lossRandom{20240501}; // fixed seed: test runs are repeatable
};

} // namespace softphone::server::calling
