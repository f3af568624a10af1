#pragma once
// The user's language: Qt's own catalogue (qtbase, from the system) and the
// softphone's (resources/translations, compiled by the build into :/i18n)
// for QLocale() - that is LANG / LC_MESSAGES / LANGUAGE on Linux. English,
// the source language, needs none.

class QCoreApplication;

namespace softphone::app {

// Installs the translators on `app` (they live as its children). True when a
// softphone catalogue matched the locale.
bool installTranslations(QCoreApplication *app);

} // namespace softphone::app
