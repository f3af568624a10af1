#pragma once
// The server's long-lived signing keys, as PEM files in <dataDir>/keys/ readable
// by the service user only. Created on first start, then loaded, so tokens and
// push payloads stay valid across restarts.

#include "EcKey.h"

#include <QString>

namespace softphone::server {

class KeyStore
{
public:
    explicit KeyStore(const QString &dataDir);

    // Loads every key, creating the missing ones; false with a message on failure
    // (unreadable or corrupt file, directory not writable).
    bool load(QString *error);

    crypto::EcKey tokenKey() const { return m_tokenKey; }     // access tokens (application server)
    crypto::EcKey payloadKey() const { return m_payloadKey; } // push payloads (calling service)
    crypto::EcKey vapidKey() const { return m_vapidKey; }     // VAPID (application server)

    QString keysDir() const { return m_dir; }

    // Loads or creates one key file; used by load() and by tools that need one key.
    static bool loadOrCreate(const QString &path, crypto::EcKey *key, QString *error);

private:
    QString m_dir;
    crypto::EcKey m_tokenKey;
    crypto::EcKey m_payloadKey;
    crypto::EcKey m_vapidKey;
};

} // namespace softphone::server
