#pragma once
// Notices when the other desktop app changed the files both share, without
// polling: the history database (a missed call added, or seen, which clears
// the tray's badge) and the settings file (do not disturb switched in the
// softphone's Settings or the tray's menu; the softphone then publishes it as
// its presence). inotify (QFileSystemWatcher) on both files and their folders,
// since SQLite's WAL file and QSettings' atomic rename replace files; bursts
// of changes are folded into one signal (kSettleMs).

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace softphone::storage {

class SharedStateWatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSettleMs = 250;

    SharedStateWatcher(const QString &databasePath, const QString &settingsPath,
                       QObject *parent = nullptr);

    // Adds what exists now of the files and folders (they come and go).
    void watch();

signals:
    void historyChanged();
    void settingsChanged();

private:
    void onChange(const QString &path);

    QString m_database;
    QString m_settings;
    QFileSystemWatcher m_watcher;
    QTimer m_history;
    QTimer m_settingsTimer;
};

} // namespace softphone::storage
