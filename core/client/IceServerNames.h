#pragma once
// Host names in a login reply's STUN/TURN URLs (`appserver.turn_server` may
// name its server: turn.example.org:3478) resolved for the client, which
// hands libnice only numeric addresses (docs/media.md "UDP media"). QHostInfo
// looks them up off the event loop; bounded: at most kMaxNames distinct
// names per reply, each lookup given up after kLookupTimeoutMs. resolved()
// gives the same `ice` with each name replaced by its first address (IPv4
// first), and the URLs of a name that did not resolve left out. A newer
// reply's resolve() replaces a lookup still under way.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

class QHostInfo;

namespace softphone::client {

class IceServerNames : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxNames = 4;
    static constexpr int kLookupTimeoutMs = 5000;

    explicit IceServerNames(QObject *parent = nullptr);
    ~IceServerNames() override;

    // Whether `ice` names any server by host name.
    static bool hasNames(const QJsonObject &ice);
    // Starts the lookups; resolved() follows (at once when nothing is named).
    void resolve(const QJsonObject &ice);

signals:
    void resolved(const QJsonObject &ice);

private:
    void lookedUp(const QHostInfo &info);
    void finish();
    void abortAll();

    QJsonObject m_ice;
    QHash<int, QString> m_pending;       // lookup id -> name
    QHash<QString, QString> m_addresses; // name -> address ("" for none)
    QTimer m_deadline;
};

} // namespace softphone::client
