// softphone-tray-xembed.so: the tray agent's XEmbed face (TrayFace.h), loaded
// by main() only when no StatusNotifierWatcher is there and the session is X11.
#include "XEmbedTrayFace.h"
#include "common/Version.h"

#include <QApplication>

extern "C" Q_DECL_EXPORT QCoreApplication *softphone_tray_xembed_application(int &argc, char **argv)
{
    auto *app = new QApplication(argc, argv);
    QApplication::setDesktopFileName(QString::fromLatin1(softphone::kDesktopAppName));
    QApplication::setQuitOnLastWindowClosed(false);
    return app;
}

extern "C" Q_DECL_EXPORT softphone::tray::TrayFace *softphone_tray_xembed_face()
{
    return new softphone::tray::XEmbedTrayFace;
}
