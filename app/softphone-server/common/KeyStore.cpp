#include "KeyStore.h"

#include "Logging.h"
#include "Random.h"

#include <QDir>
#include <QFile>

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

bool KeyStore::load(QString *error)
{
    QDir dir;
    if (!dir.mkpath(m_dir)) {
        *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    QFile::setPermissions(m_dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QDir keys(m_dir);
    return loadOrCreate(keys.filePath(QStringLiteral("token.pem")), &m_tokenKey, error) &&
           loadOrCreate(keys.filePath(QStringLiteral("payload.pem")), &m_payloadKey, error) &&
           loadOrCreate(keys.filePath(QStringLiteral("vapid.pem")), &m_vapidKey, error);
}

} // namespace softphone::server
