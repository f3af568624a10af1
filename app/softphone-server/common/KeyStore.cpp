#include "KeyStore.h"

#include "ServerLogging.h"
#include "crypto/Random.h"

#include <QDir>
#include <QFile>

#include <cstdio>

namespace softphone::server {

KeyStore::KeyStore(const QString &dataDir)
    : m_dir(QDir(dataDir).filePath(QStringLiteral("keys")))
{}

bool KeyStore::loadOrCreate(const QString &path, crypto::EcKey *key, QString *error)
{
    QFile file(path);
    if (!file.exists()) {
        // Write a temporary file created 0600, then rename: a crash never leaves a
        // half-written key, and a concurrent creator's key wins over ours.
        const QString temp = path + QStringLiteral(".tmp-") + crypto::randomToken(6);
        const crypto::EcKey fresh = crypto::EcKey::generate();
        const QByteArray pem = fresh.privatePem();
        QFile out(temp);
        if (fresh.isNull() || pem.isEmpty() ||
            !out.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                      QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            out.write(pem) != pem.size() || !out.flush()) {
            *error = QStringLiteral("cannot create key %1: %2").arg(temp, out.errorString());
            out.remove();
            return false;
        }
        out.close();
        if (!QFile::rename(temp, path))
            QFile::remove(temp); // someone else created it meanwhile: use theirs
        else
            qCInfo(lcServerApp) << "created key" << path;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read key %1: %2").arg(path, file.errorString());
        return false;
    }
    const auto loaded = crypto::EcKey::fromPem(file.readAll());
    if (!loaded || !loaded->hasPrivate()) {
        *error = QStringLiteral("key file %1 is not a P-256 private key in PEM").arg(path);
        return false;
    }
    *key = *loaded;
    return true;
}

namespace {
const QString kPushDataFile = QStringLiteral("push-data.pem");
const QString kPreviousPushDataFile = QStringLiteral("push-data.previous.pem");

bool makeKeysDir(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    QFile::setPermissions(dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}
} // namespace

bool KeyStore::load(QString *error)
{
    if (!makeKeysDir(m_dir, error))
        return false;
    const QDir keys(m_dir);
    if (!loadOrCreate(keys.filePath(QStringLiteral("token.pem")), &m_tokenKey, error) ||
        !loadOrCreate(keys.filePath(QStringLiteral("payload.pem")), &m_payloadKey, error) ||
        !loadOrCreate(keys.filePath(QStringLiteral("vapid.pem")), &m_vapidKey, error) ||
        !loadOrCreate(keys.filePath(kPushDataFile), &m_pushDataKey, error))
        return false;
    m_previousPushDataKey = {};
    return !keys.exists(kPreviousPushDataFile) ||
           loadOrCreate(keys.filePath(kPreviousPushDataFile), &m_previousPushDataKey, error);
}

bool KeyStore::rotatePushDataKey(const QString &dataDir, crypto::EcKey *newKey, QString *error)
{
    const QString dir = QDir(dataDir).filePath(QStringLiteral("keys"));
    if (!makeKeysDir(dir, error))
        return false;
    const QDir keys(dir);
    const QString current = keys.filePath(kPushDataFile);
    const QString previous = keys.filePath(kPreviousPushDataFile);
    if (QFile::exists(current)) {
        // rename(2) replaces an older previous key atomically.
        if (::rename(QFile::encodeName(current).constData(),
                     QFile::encodeName(previous).constData()) != 0) {
            *error = QStringLiteral("cannot move %1 to %2").arg(current, previous);
            return false;
        }
    }
    return loadOrCreate(current, newKey, error);
}

} // namespace softphone::server
