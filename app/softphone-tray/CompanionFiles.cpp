#include "CompanionFiles.h"

#include <QDir>
#include <QFileInfo>

namespace softphone::tray {

QStringList companionCandidates(const QString &fileName)
{
    const QString besideUs = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    return {
        besideUs + QLatin1Char('/') + fileName,
        QDir::cleanPath(besideUs + QStringLiteral("/" SOFTPHONE_TRAY_PRIVATE_DIR "/") + fileName)};
}

QString companionPath(const QString &fileName)
{
    const QStringList candidates = companionCandidates(fileName);
    for (const QString &path : candidates)
        if (QFileInfo::exists(path))
            return path;
    return candidates.constLast();
}

} // namespace softphone::tray
