#include "SharedStateWatcher.h"

#include <QFileInfo>

namespace softphone::storage {

SharedStateWatcher::SharedStateWatcher(const QString &databasePath, const QString &settingsPath,
                                       QObject *parent)
    : QObject(parent)
    , m_database(databasePath)
    , m_settings(settingsPath)
{
    for (QTimer *timer : {&m_history, &m_settingsTimer}) {
        timer->setSingleShot(true);
        timer->setInterval(kSettleMs);
    }
    connect(&m_history, &QTimer::timeout, this, &SharedStateWatcher::historyChanged);
    connect(&m_settingsTimer, &QTimer::timeout, this, &SharedStateWatcher::settingsChanged);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &SharedStateWatcher::onChange);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &SharedStateWatcher::onChange);
    watch();
}

void SharedStateWatcher::watch()
{
    // Files come and go (the WAL file, the settings' rename): add what exists now.
    QStringList paths;
    if (!m_database.isEmpty())
        paths << QFileInfo(m_database).absolutePath() << m_database
              << m_database + QStringLiteral("-wal");
    if (!m_settings.isEmpty())
        paths << QFileInfo(m_settings).absolutePath() << m_settings;
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    for (const QString &path : std::as_const(paths))
        if (!watched.contains(path) && QFileInfo::exists(path))
            m_watcher.addPath(path);
}

void SharedStateWatcher::onChange(const QString &path)
{
    const QString folderOfDatabase = QFileInfo(m_database).absolutePath();
    const QString folderOfSettings = QFileInfo(m_settings).absolutePath();
    if (path.startsWith(m_database) || path == folderOfDatabase)
        m_history.start();
    if (path == m_settings || path == folderOfSettings)
        m_settingsTimer.start();
    watch();
}

} // namespace softphone::storage
