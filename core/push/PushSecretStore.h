#pragma once
// Where a subscription's private key and auth secret live. The OS keychain
// (KeychainSecretStore) is the real one; FileSecretStore exists only for
// platforms without a keychain and must be chosen explicitly by the app.
// Calls are asynchronous because keychains are (D-Bus round trips). As with
// connect(), the answer runs only while `context` lives (and the store too).

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

namespace softphone::push {

class PushSecretStore
{
public:
    virtual ~PushSecretStore() = default;

    // data is nullopt with an empty error when the key is simply not there.
    using ReadDone = std::function<void(std::optional<QByteArray> data, const QString &error)>;
    using WriteDone = std::function<void(bool ok, const QString &error)>;

    virtual void read(const QString &key, const QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QByteArray &data, const QObject *context,
                       WriteDone done) = 0;
    virtual void remove(const QString &key, const QObject *context, WriteDone done) = 0;
};

} // namespace softphone::push
