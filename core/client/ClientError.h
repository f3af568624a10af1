#pragma once
// Why a client could not start or had to stop, as emitted by SoftphoneClient::failed.

#include <QMetaType>
#include <QString>

namespace softphone::client {

struct ClientError
{
    enum class Type {
        InvalidConfig, // the config does not validate, or was changed after start
        Network,       // the service could not be reached (the client keeps retrying)
        Unauthorized,  // the service refused the token and no new one came
        Replaced,      // the same user and device connected elsewhere; no retry
        Terminated,    // start() after terminate()
    };
    Type type = Type::Network;
    QString message;

    static QString typeName(Type type);
};

} // namespace softphone::client

Q_DECLARE_METATYPE(softphone::client::ClientError)
