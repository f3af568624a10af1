#include "RuntimeDir.h"

#include "common/PrivateFiles.h"

#include <QDir>
#include <unistd.h>

namespace softphone::ipc {

QString runtimeDir(QString *error)
{
    const QString xdg = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString dir = xdg.isEmpty() ? QDir::tempPath() + QStringLiteral("/softphone-") +
                                            QString::number(::geteuid())
                                      : xdg + QStringLiteral("/softphone");
    if (!makePrivateDir(dir, ForeignMode::Refuse, error))
        return {};
    return dir;
}

QString runtimePath(const QString &name, QString *error)
{
    const QString dir = runtimeDir(error);
    return dir.isEmpty() ? QString() : dir + QLatin1Char('/') + name;
}

} // namespace softphone::ipc
