#include "FileSecretStore.h"

#include "common/PrivateFiles.h"
#include "crypto/Base64Url.h"

#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

namespace softphone::push {

FileSecretStore::FileSecretStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_path(filePath)
{}

void FileSecretStore::later(const QObject *context, std::function<void()> fn)
{
    QTimer::singleShot(0, this, [context = QPointer<const QObject>(context), fn = std::move(fn)] {
        if (context)
            fn();
    });
}

bool FileSecretStore::load(QJsonObject *out, QString *error) const
{
    QFile file(m_path);
    if (!file.exists()) {
        *out = {};
        return true;
    }
    if (!closePrivateFile(m_path, error))
        return false;
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
    // Not QSaveFile: its temporary file of a new target is 0644 until a
    // setPermissions(), and a reader who opened it in that moment reads on.
    return writePrivateFile(m_path, QJsonDocument(secrets).toJson(QJsonDocument::Compact), error);
}

void FileSecretStore::read(const QString &key, const QObject *context, ReadDone done)
{
    later(context, [this, key, done = std::move(done)] {
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

void FileSecretStore::write(const QString &key, const QByteArray &data, const QObject *context,
                            WriteDone done)
{
    later(context, [this, key, data, done = std::move(done)] {
        QJsonObject secrets;
        QString error;
        if (!load(&secrets, &error))
            return done(false, error);
        secrets.insert(key, QString::fromLatin1(toBase64Url(data)));
        const bool ok = save(secrets, &error);
        done(ok, error);
    });
}

void FileSecretStore::remove(const QString &key, const QObject *context, WriteDone done)
{
    later(context, [this, key, done = std::move(done)] {
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
