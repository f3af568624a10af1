#include "Settings.h"

namespace softphone::storage {

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                             QStringLiteral("softphone"),
                                             QStringLiteral("softphone")))
{}

Settings::Settings(const QString &fileName, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QVariant Settings::value(Key key) const
{
    return m_settings->value(path(key), defaultValue(key));
}

void Settings::setValue(Key key, const QVariant &value)
{
    if (m_settings->contains(path(key)) && m_settings->value(path(key)) == value)
        return;
    m_settings->setValue(path(key), value);
    emit changed(key, value);
}

void Settings::reset(Key key)
{
    m_settings->remove(path(key));
    emit changed(key, defaultValue(key));
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

QString Settings::path(Key key)
{
    switch (key) {
#define SOFTPHONE_X(name, keyPath, def)                                                            \
    case Key::name:                                                                                \
        return QStringLiteral(keyPath);
        SOFTPHONE_SETTINGS_KEYS(SOFTPHONE_X)
#undef SOFTPHONE_X
    }
    return {};
}

QVariant Settings::defaultValue(Key key)
{
    switch (key) {
#define SOFTPHONE_X(name, keyPath, def)                                                            \
    case Key::name:                                                                                \
        return QVariant(def);
        SOFTPHONE_SETTINGS_KEYS(SOFTPHONE_X)
#undef SOFTPHONE_X
    }
    return {};
}

QList<Settings::Key> Settings::allKeys()
{
    return {
#define SOFTPHONE_X(name, keyPath, def) Key::name,
        SOFTPHONE_SETTINGS_KEYS(SOFTPHONE_X)
#undef SOFTPHONE_X
    };
}

} // namespace softphone::storage
