#include "SignInArguments.h"

#include "ClientConfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QUrl>
#include <cstdio>

namespace softphone::client {

QString SignInArguments::check() const
{
    if (!server.isEmpty())
        if (const QString problem = serviceAddressError(server, allowInsecure); !problem.isEmpty())
            return QStringLiteral("--server: %1").arg(problem);
    if (passwordFromStdin && (server.isEmpty() || user.isEmpty()))
        return QCoreApplication::translate("main", "--password-stdin needs --server and --user.");
    return {};
}

bool SignInArguments::readPassword(QString *error)
{
    if (!passwordFromStdin)
        return true;
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read standard input");
        return false;
    }
    password = QString::fromUtf8(in.readLine()).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
    return true;
}

} // namespace softphone::client
