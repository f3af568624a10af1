#pragma once
// The server's long-lived signing keys, as PEM files in <dataDir>/keys/ readable
// by the service user only. Created on first start, then loaded, so tokens and
// push payloads stay valid across restarts. The push-data key (devices seal their
// push data to it) rotates: `keys rotate-push-data-key` keeps the old one as
// push-data.previous.pem, so data sealed before the rotation still opens.

#include "crypto/EcKey.h"

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
    // Sealed push data (application server): the current key, and the one before
    // the last rotation (null if none).
    crypto::EcKey pushDataKey() const { return m_pushDataKey; }
    crypto::EcKey previousPushDataKey() const { return m_previousPushDataKey; }

    QString keysDir() const { return m_dir; }

    // Loads or creates one key file; used by load() and by tools that need one key.
    static bool loadOrCreate(const QString &path, crypto::EcKey *key, QString *error);
    // The current push-data key becomes the previous one (replacing an older
    // previous key) and a new current key is created. Takes effect at the next
    // start; *newKey is the new key.
    static bool rotatePushDataKey(const QString &dataDir, crypto::EcKey *newKey, QString *error);

private:
    QString m_dir;
    crypto::EcKey m_tokenKey;
    crypto::EcKey m_payloadKey;
    crypto::EcKey m_vapidKey;
    crypto::EcKey m_pushDataKey;
    crypto::EcKey m_previousPushDataKey;
};

} // namespace softphone::server
