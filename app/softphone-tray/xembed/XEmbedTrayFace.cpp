#include "XEmbedTrayFace.h"

#include "TrayIconEngine.h"

#include <QAction>
#include <QGuiApplication>
#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

namespace softphone::tray {

XEmbedTrayFace::XEmbedTrayFace()
    : m_menu(std::make_unique<QMenu>())
{
    // On X11 Qt embeds the icon as soon as a tray host appears, even one that
    // starts after us; elsewhere only an existing tray counts.
    if (QSystemTrayIcon::isSystemTrayAvailable() ||
        QGuiApplication::platformName() == QLatin1String("xcb")) {
        m_icon = std::make_unique<QSystemTrayIcon>();
        m_icon->setContextMenu(m_menu.get());
        QObject::connect(m_icon.get(), &QSystemTrayIcon::activated,
                         [this](QSystemTrayIcon::ActivationReason reason) {
                             if ((reason == QSystemTrayIcon::Trigger ||
                                  reason == QSystemTrayIcon::DoubleClick) &&
                                 chosen)
                                 chosen(TrayAction::Open, false);
                         });
    }
}

XEmbedTrayFace::~XEmbedTrayFace()
{
    m_icon.reset(); // before its menu
}

void XEmbedTrayFace::show(const TrayView &view)
{
    if (m_actions.size() != view.menu.size()) {
        m_menu->clear();
        m_actions.clear();
        for (const TrayMenuEntry &entry : view.menu) {
            QAction *action =
                entry.isSeparator() ? m_menu->addSeparator() : m_menu->addAction(entry.text);
            const TrayAction what = entry.action;
            if (!entry.isSeparator())
                QObject::connect(action, &QAction::triggered, [this, what](bool checked) {
                    if (chosen)
                        chosen(what, checked);
                });
            m_actions.append(action);
        }
    }
    for (qsizetype i = 0; i < view.menu.size(); ++i) {
        const TrayMenuEntry &entry = view.menu.at(i);
        QAction *action = m_actions.at(i);
        if (entry.isSeparator())
            continue;
        const QSignalBlocker block(action);
        action->setText(entry.text);
        action->setCheckable(entry.checkable);
        action->setChecked(entry.checked);
        action->setEnabled(entry.enabled);
        action->setVisible(entry.visible);
    }
    if (!m_icon)
        return;
    const QString shown = view.iconName + QLatin1Char('/') + view.badge;
    if (shown != m_shownIcon) {
        m_shownIcon = shown;
        m_icon->setIcon(QIcon(
            new TrayIconEngine(QStringLiteral(":/tray/%1.svg").arg(view.iconName), view.badge)));
    }
    m_icon->setToolTip(view.toolTip);
    if (!m_icon->isVisible())
        m_icon->show();
}

bool XEmbedTrayFace::isShown() const
{
    return m_icon && QSystemTrayIcon::isSystemTrayAvailable();
}

bool XEmbedTrayFace::showMessage(const QString &title, const QString &body)
{
    if (!isShown())
        return false;
    m_icon->showMessage(title, body);
    return true;
}

} // namespace softphone::tray
