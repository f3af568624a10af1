#pragma once
// Secrets in one JSON file readable by the user only (mode 0600 from its first
// byte, in a 0700 folder: writePrivateFile). Only for platforms without a
// keychain; the application has to choose it explicitly.

#include "PushSecretStore.h"

#include <QJsonObject>
#include <QObject>

namespace softphone::push {

class FileSecretStore : public QObject, public PushSecretStore
{
    Q_OBJECT
public:
    explicit FileSecretStore(const QString &filePath, QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &data, const QObject *context,
               WriteDone done) override;
    void remove(const QString &key, const QObject *context, WriteDone done) override;

private:
    bool load(QJsonObject *out, QString *error) const;
    bool save(const QJsonObject &secrets, QString *error) const;
    // Answers on the next event loop turn, like a keychain would, if context still lives.
    void later(const QObject *context, std::function<void()> fn);

    QString m_path;
};

} // namespace softphone::push
