#include "SettingsPage.h"

#include "AudioSettings.h"
#include "Theme.h"
#include "storage/Settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace softphone::ui {

using Key = storage::Settings::Key;

SettingsPage::SettingsPage(storage::Settings &settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_audio(new AudioSettings(settings, this))
    , m_dnd(new QCheckBox(tr("&Do not disturb (decline incoming calls, keep them in the history)"),
                          this))
    , m_confirmLinks(
          new QCheckBox(tr("&Ask before calling from a link (softphone: or tel:)"), this))
    , m_startMinimized(new QCheckBox(tr("Start &minimized"), this))
    , m_keepRunning(
          new QCheckBox(tr("&Keep running in the background when the window is closed"), this))
    , m_style(new QComboBox(this))
    , m_pushStatus(new QLabel(this))
    , m_account(new QLabel(this))
    , m_signOut(new QPushButton(tr("Sign &out"), this))
{
    setObjectName(QStringLiteral("settingsPage"));
    setAccessibleName(tr("Settings"));
    m_dnd->setObjectName(QStringLiteral("dndCheck"));
    m_dnd->setAccessibleName(tr("Do not disturb"));
    m_confirmLinks->setObjectName(QStringLiteral("confirmLinksCheck"));
    m_confirmLinks->setAccessibleName(tr("Ask before calling from a link"));
    m_startMinimized->setObjectName(QStringLiteral("startMinimizedCheck"));
    m_startMinimized->setAccessibleName(tr("Start minimized"));
    m_keepRunning->setObjectName(QStringLiteral("keepRunningCheck"));
    m_keepRunning->setAccessibleName(tr("Keep running in the background"));
    m_style->setObjectName(QStringLiteral("styleBox"));
    m_style->setAccessibleName(tr("Colours"));
    m_style->addItem(tr("As the desktop"), theme::nameOf(theme::Scheme::System));
    m_style->addItem(tr("Light"), theme::nameOf(theme::Scheme::Light));
    m_style->addItem(tr("Dark"), theme::nameOf(theme::Scheme::Dark));
    m_pushStatus->setObjectName(QStringLiteral("pushStatus"));
    m_pushStatus->setAccessibleName(tr("Push status"));
    m_pushStatus->setWordWrap(true);
    m_pushStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_account->setObjectName(QStringLiteral("accountLabel"));
    m_account->setAccessibleName(tr("Signed-in account"));
    m_signOut->setObjectName(QStringLiteral("signOutButton"));
    m_signOut->setAccessibleName(tr("Sign out"));

    auto *behaviour = new QGroupBox(tr("Behaviour"), this);
    auto *behaviourLayout = new QVBoxLayout(behaviour);
    behaviourLayout->addWidget(m_dnd);
    behaviourLayout->addWidget(m_confirmLinks);
    behaviourLayout->addWidget(m_startMinimized);
    behaviourLayout->addWidget(m_keepRunning);
    auto *styleRow = new QHBoxLayout;
    auto *styleLabel = new QLabel(tr("Co&lours:"), behaviour);
    styleLabel->setBuddy(m_style);
    styleRow->addWidget(styleLabel);
    styleRow->addWidget(m_style);
    styleRow->addStretch();
    behaviourLayout->addLayout(styleRow);

    auto *push = new QGroupBox(tr("Calls while the app is closed (push)"), this);
    auto *pushLayout = new QVBoxLayout(push);
    pushLayout->addWidget(m_pushStatus);

    auto *account = new QGroupBox(tr("Account"), this);
    auto *accountLayout = new QHBoxLayout(account);
    accountLayout->addWidget(m_account, 1);
    accountLayout->addWidget(m_signOut);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_audio);
    layout->addWidget(behaviour);
    layout->addWidget(push);
    layout->addWidget(account);
    layout->addStretch();

    m_dnd->setChecked(m_settings.flag(Key::DoNotDisturb));
    m_confirmLinks->setChecked(m_settings.flag(Key::ConfirmLinkCalls));
    m_startMinimized->setChecked(m_settings.flag(Key::StartMinimized));
    m_keepRunning->setChecked(m_settings.flag(Key::KeepRunningInBackground));
    connect(m_dnd, &QCheckBox::toggled, this,
            [this](bool on) { m_settings.setValue(Key::DoNotDisturb, on); });
    connect(m_confirmLinks, &QCheckBox::toggled, this,
            [this](bool on) { m_settings.setValue(Key::ConfirmLinkCalls, on); });
    connect(m_startMinimized, &QCheckBox::toggled, this,
            [this](bool on) { m_settings.setValue(Key::StartMinimized, on); });
    connect(m_keepRunning, &QCheckBox::toggled, this,
            [this](bool on) { m_settings.setValue(Key::KeepRunningInBackground, on); });
    m_style->setCurrentIndex(qMax(0, m_style->findData(m_settings.string(Key::Style))));
    connect(m_style, &QComboBox::activated, this,
            [this](int index) { m_settings.setValue(Key::Style, m_style->itemData(index)); });
    connect(&m_settings, &storage::Settings::changed, this, [this](Key key, const QVariant &value) {
        if (key == Key::DoNotDisturb)
            m_dnd->setChecked(value.toBool());
        if (key == Key::Style)
            m_style->setCurrentIndex(qMax(0, m_style->findData(value.toString())));
    });
    connect(m_signOut, &QPushButton::clicked, this, &SettingsPage::signOutRequested);
    showPushStatus();
}

void SettingsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_settings.sync(); // the file both apps share
    const QSignalBlocker block(m_dnd);
    m_dnd->setChecked(m_settings.flag(Key::DoNotDisturb));
}

void SettingsPage::setPushStatusSource(PushStatusSource *source)
{
    if (m_push)
        m_push->disconnect(this);
    m_push = source;
    if (source)
        connect(source, &PushStatusSource::pushStatusChanged, this, &SettingsPage::showPushStatus);
    showPushStatus();
}

void SettingsPage::setAudioCheck(AudioCheck *check)
{
    m_audio->setAudioCheck(check);
}

void SettingsPage::setAccount(const QString &user, const QString &server)
{
    m_account->setText(user.isEmpty() ? tr("Not signed in")
                                      : tr("Signed in as %1 on %2").arg(user, server));
    m_signOut->setEnabled(!user.isEmpty());
}

void SettingsPage::showPushStatus()
{
    if (!m_push) {
        m_pushStatus->setText(tr("Not set up: the background agent (softphone-tray) registers this "
                                 "device for calls while the app is closed."));
        return;
    }
    const PushStatus status = m_push->pushStatus();
    QString text;
    switch (status.state) {
    case PushStatus::State::NotSetUp:
        text = tr("Not set up.");
        break;
    case PushStatus::State::Registering:
        text = tr("Registering...");
        break;
    case PushStatus::State::Registered:
        text = tr("Registered at %1.").arg(status.endpoint);
        break;
    case PushStatus::State::Failed:
        text = tr("Not working: %1").arg(status.error);
        break;
    case PushStatus::State::Off:
        text = tr("Off: %1").arg(status.error);
        break;
    }
    text += QLatin1Char('\n') +
            (status.lastPush.isValid()
                 ? tr("Last push: %1")
                       .arg(QLocale().toString(status.lastPush.toLocalTime(), QLocale::ShortFormat))
                 : tr("No push received yet."));
    m_pushStatus->setText(text);
}

} // namespace softphone::ui
