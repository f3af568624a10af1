#include "FileSecretStore.h"

#include "Base64Url.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

namespace softphone::push {

FileSecretStore::FileSecretStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_path(filePath)
{}

void FileSecretStore::later(std::function<void()> fn)
{
    QTimer::singleShot(0, this, std::move(fn));
}

bool FileSecretStore::load(QJsonObject *out, QString *error) const
{
    QFile file(m_path);
    if (!file.exists()) {
        *out = {};
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object").arg(m_path);
        return false;
    }
    *out = doc.object();
    return true;
}

bool FileSecretStore::save(const QJsonObject &secrets, QString *error) const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    // Set the mode before any byte is written, so the secrets are never world-readable.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(secrets).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

void FileSecretStore::read(const QString &key, ReadDone done)
{
    later([this, key, done = std::move(done)] {
        QJsonObject secrets;
        QString error;
        if (!load(&secrets, &error))
            return done(std::nullopt, error);
        if (!secrets.contains(key))
            return done(std::nullopt, QString());
        const auto data = fromBase64Url(secrets.value(key).toString().toLatin1());
        if (!data)
            return done(std::nullopt, QStringLiteral("corrupt secret %1 in %2").arg(key, m_path));
        done(*data, QString());
    });
}

void FileSecretStore::write(const QString &key, const QByteArray &data, WriteDone done)
{
    later([this, key, data, done = std::move(done)] {
        QJsonObject secrets;
        QString error;
        if (!load(&secrets, &error))
            return done(false, error);
        secrets.insert(key, QString::fromLatin1(toBase64Url(data)));
        const bool ok = save(secrets, &error);
        done(ok, error);
    });
}

void FileSecretStore::remove(const QString &key, WriteDone done)
{
    later([this, key, done = std::move(done)] {
        QJsonObject secrets;
        QString error;
        if (!load(&secrets, &error))
            return done(false, error);
        secrets.remove(key);
        const bool ok = save(secrets, &error);
        done(ok, error);
    });
}

} // namespace softphone::push
