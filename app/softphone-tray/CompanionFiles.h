#pragma once
// The agent's companion files, not for users: its XEmbed face
// (softphone-tray-xembed.so) and its keychain helper (softphone-keychain).
// They are beside the executable in a build tree, and in the package's private
// folder (SOFTPHONE_TRAY_PRIVATE_DIR relative to the executable's folder:
// ../lib/<triplet>/softphone) as installed. Usable before any Qt application
// object exists (the executable's folder comes from /proc/self/exe).

#include <QString>
#include <QStringList>

namespace softphone::tray {

// Where fileName may be, the first place first.
QStringList companionCandidates(const QString &fileName);
// The first candidate that exists, else the installed place (so a failure to
// start it names where it should be).
QString companionPath(const QString &fileName);

} // namespace softphone::tray
