#include "AppTranslations.h"

#include "common/Translations.h"

namespace softphone::app {

bool installTranslations(QCoreApplication *app)
{
    return softphone::installTranslations(app, QStringLiteral("softphone"));
}

} // namespace softphone::app
