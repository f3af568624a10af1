#include "SignInArguments.h"

#include "ClientConfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QUrl>
#include <cstdio>

namespace softphone::client {

QString SignInArguments::check() const
{
    if (!server.isEmpty()) {
        const QUrl url(server);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return QCoreApplication::translate("main", "--server: not an http(s) URL: %1")
                .arg(server);
        if (const QString insecure = insecureTransportError(url, allowInsecure);
            !insecure.isEmpty())
            return QStringLiteral("--server: %1").arg(insecure);
    }
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
