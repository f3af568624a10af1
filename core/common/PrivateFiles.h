#pragma once
// Folders and files only the current user may read: the runtime folder of the
// local sockets, the tray's push state (the uaid), the secret-store file.
// A secret file is created with mode 0600 from its first byte (open(2) with
// O_CREAT|O_EXCL and that mode, whatever the umask lets through more), written
// in full and renamed over the old one, so there is never a moment when another
// user can open it. QSaveFile is not enough: its temporary file of a new target
// is created 0666 & ~umask (0644), and an open() in that moment keeps reading.

#include <QByteArray>
#include <QString>

namespace softphone {

enum class ForeignMode {
    Refuse, // a folder of ours open to group or other is an error
    Repair, // ... is closed to 0700 (a folder we made before we knew better)
};

// Creates `path` (and missing parents, with the usual mode) with mode 0700, or
// checks the folder that is there: a real folder (lstat: a symlink is refused),
// owned by the current uid, and not open to group or other (Refuse) or closed
// to 0700 (Repair). False with a sentence naming the folder and the problem.
bool makePrivateDir(const QString &path, ForeignMode mode, QString *error);

// Writes `data` to `path` as a new 0600 file in a private folder (makePrivateDir
// with Repair) and renames it over `path` atomically. False with the reason.
bool writePrivateFile(const QString &path, const QByteArray &data, QString *error);

// Closes an existing file of ours to 0600 (a file written 0644 by an older
// version); true when there is none.
bool closePrivateFile(const QString &path, QString *error);

} // namespace softphone
