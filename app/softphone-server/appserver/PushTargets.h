#pragma once
// Where the application server may send a pair's push: it opens the device's
// sealed push data with its push-data keys (current, then the one before the
// last rotation, chosen by the key id in the bytes), checks that the data
// belongs to the pair's callee and device, and that the subscription's
// endpoint is on a push-service origin the operator trusts (its own push role
// and --push-allow). Anything else is never contacted (docs/security.md).

#include "crypto/EcKey.h"
#include "push/PushSubscription.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace softphone::server::appserver {

class PushTargets
{
public:
    // keys: the current push-data key first; origins: http(s) origin URLs.
    PushTargets(const QList<crypto::EcKey> &keys, const QStringList &origins);

    enum class Verdict {
        Ok,
        Unreadable, // not sealed to our keys, altered, not our JSON, or another device's
        NotAllowed, // the endpoint's origin is not trusted
    };
    // *why says why for the server's log only (it may quote the opened data).
    Verdict resolve(const QByteArray &pushData, const QString &user, const QString &device,
                    push::PushSubscription *subscription, QString *why) const;

    // "scheme://host:port" with the scheme's default port filled in.
    static QString originOf(const QUrl &url);
    QStringList origins() const { return QStringList(m_origins.cbegin(), m_origins.cend()); }

private:
    QList<crypto::EcKey> m_keys;
    QSet<QString> m_origins;
};

} // namespace softphone::server::appserver
