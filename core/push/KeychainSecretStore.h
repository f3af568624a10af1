#pragma once
// Secrets in the OS keychain (Secret Service on Linux) through QtKeychain.

#include "PushSecretStore.h"

#include <QObject>

namespace softphone::push {

class KeychainSecretStore : public QObject, public PushSecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(const QString &service = QStringLiteral("softphone-push"),
                                 QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &data, const QObject *context,
               WriteDone done) override;
    void remove(const QString &key, const QObject *context, WriteDone done) override;

private:
    QString m_service;
};

} // namespace softphone::push
