#pragma once
// Secrets in the OS keychain (Secret Service on Linux, core/keychain: QtKeychain
// in this process or in a child), as binary entries of one service.

#include "PushSecretStore.h"

#include <QObject>

namespace softphone::keychain {
class Keychain;
struct Request;
} // namespace softphone::keychain

namespace softphone::push {

class KeychainSecretStore : public QObject, public PushSecretStore
{
    Q_OBJECT
public:
    // keychain: who does the work (it outlives this store).
    explicit KeychainSecretStore(keychain::Keychain &keychain,
                                 const QString &service = QStringLiteral("softphone-push"),
                                 QObject *parent = nullptr);

    void read(const QString &key, const QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &data, const QObject *context,
               WriteDone done) override;
    void remove(const QString &key, const QObject *context, WriteDone done) override;

private:
    keychain::Keychain &m_keychain;
    QString m_service;
};

} // namespace softphone::push
