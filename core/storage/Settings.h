#pragma once
// The user's preferences in one QSettings file. Every key is declared once, in
// SOFTPHONE_SETTINGS_KEYS below (name, storage path, default), so the list of
// what the app writes to disk is reviewable in one place. Secrets never go here:
// refresh tokens live in the OS keychain (CredentialStore).

#include <QList>
#include <QObject>
#include <QSettings>
#include <QVariant>
#include <memory>

namespace softphone::storage {

// clang-format off
#define SOFTPHONE_SETTINGS_KEYS(X) \
    X(ServerUrl,               "account/server",           QString())   \
    X(UserName,                "account/user",             QString())   \
    X(RememberMe,              "account/remember",         false)       \
    X(DeviceId,                "account/device",           QString())   \
    X(AudioInput,              "audio/input",              QString())   \
    X(AudioOutput,             "audio/output",             QString())   \
    X(AudioRinger,             "audio/ringer",             QString())   \
    X(AudioProcessing,         "audio/processing",         true)        \
    X(DoNotDisturb,            "calls/doNotDisturb",       false)       \
    X(ConfirmLinkCalls,        "calls/confirmLinks",       true)        \
    X(StartMinimized,          "window/startMinimized",    false)       \
    X(KeepRunningInBackground, "window/keepRunning",       false)       \
    X(WindowGeometry,          "window/geometry",          QByteArray())  \
    X(Style,                   "window/style",             QStringLiteral("system"))
// clang-format on

class Settings : public QObject
{
    Q_OBJECT

public:
    enum class Key {
#define SOFTPHONE_X(name, path, def) name,
        SOFTPHONE_SETTINGS_KEYS(SOFTPHONE_X)
#undef SOFTPHONE_X
    };
    Q_ENUM(Key)

    // The user's settings file (~/.config/softphone/softphone.conf).
    explicit Settings(QObject *parent = nullptr);
    // A given file, for tests and --config style use.
    explicit Settings(const QString &fileName, QObject *parent = nullptr);
    ~Settings() override;

    QVariant value(Key key) const;
    QString string(Key key) const
    {
        return value(key).toString();
    }
    bool flag(Key key) const
    {
        return value(key).toBool();
    }
    void setValue(Key key, const QVariant &value);
    void reset(Key key);
    void sync();

    QString fileName() const;

    static QString path(Key key);
    static QVariant defaultValue(Key key);
    static QList<Key> allKeys();

signals:
    void changed(softphone::storage::Settings::Key key, const QVariant &value);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace softphone::storage
