#pragma once
// The one place that says where the desktop's local sockets and locks live
// (the softphone's instance socket, the tray's control socket and lock), for
// every process that serves or knocks on them (LineServer, LineRequest).
//
// The folder is $XDG_RUNTIME_DIR/softphone, or /tmp/softphone-<uid> when
// XDG_RUNTIME_DIR is unset. /tmp is shared: another local user can create that
// folder first and read what we put in it (pushes handed over, activation
// arguments) or put his own socket there. So the folder is created 0700 with
// mkdir, and a folder that is there already must be a real folder (no symlink),
// ours, and closed to group and other; otherwise runtimeDir() fails with a
// sentence saying so, and the caller opens no socket there.

#include <QString>

namespace softphone::ipc {

// The folder (created if missing), or an empty string with the reason in *error.
QString runtimeDir(QString *error);

// runtimeDir() + "/" + name, or empty with the reason in *error.
QString runtimePath(const QString &name, QString *error);

} // namespace softphone::ipc
