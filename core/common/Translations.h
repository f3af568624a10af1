#pragma once
// The user's language for a desktop program: Qt's own catalogue (qtbase,
// from the system) and the program's catalogue (resources/translations,
// compiled by the build into :/i18n/<catalogue>_<language>.qm) for QLocale()
// - that is LANG / LC_MESSAGES / LANGUAGE on Linux. English, the source
// language, needs none. The softphone (AppTranslations) and the tray agent
// each load their own catalogue through it.

#include <QString>

class QCoreApplication;

namespace softphone {

// Installs the translators on `app` (they live as its children). True when
// the program's catalogue matched the locale.
bool installTranslations(QCoreApplication *app, const QString &catalogue);

} // namespace softphone
