#pragma once
// Notices when the softphone changed what the tray icon shows, without
// polling: the history database (a missed call added, or seen, which clears
// the badge) and the settings file (do not disturb switched in the softphone's
// Settings). inotify (QFileSystemWatcher) on both files and their folders,
// since SQLite's WAL file and QSettings' atomic rename replace files; bursts
// of changes are folded into one signal (kSettleMs).

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace softphone::tray {

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

} // namespace softphone::tray
