#include "TrayControl.h"

#include "TrayLogging.h"
#include "ipc/LineRequest.h"
#include "ipc/LineServer.h"

namespace softphone::tray {

TrayControl::TrayControl(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_server(new ipc::LineServer(socketPath, ipc::kTrayControlProtocol, this))
{
    m_server->setHandler(
        [this](const QString &type, const QJsonObject &, const ipc::LineReply &reply) {
            if (type != QLatin1String("sign_out")) {
                reply.error(QStringLiteral("unknown_type"),
                            QStringLiteral("unknown type '%1'").arg(type));
                return;
            }
            qCInfo(lcTray) << "sign-out requested on the control socket";
            emit signOutRequested([reply] { reply.ok(); });
        });
}

TrayControl::~TrayControl() = default;

bool TrayControl::listen(QString *error)
{
    return m_server->listen(error);
}

bool TrayControl::send(const QString &socketPath, const QString &type, QString *error,
                       int timeoutMs)
{
    using Outcome = ipc::LineRequest::Outcome;
    const auto result =
        ipc::LineRequest::exchange(socketPath, ipc::kTrayControlProtocol,
                                   ipc::lineMessage(ipc::kTrayControlProtocol, type), timeoutMs);
    if (result.ok())
        return true;
    if (error)
        *error = result.outcome == Outcome::NoServer
                     ? QStringLiteral("no softphone-tray is running")
                 : result.outcome == Outcome::TimedOut
                     ? QStringLiteral("the running agent did not answer in time")
                     : result.reason();
    return false;
}

} // namespace softphone::tray
