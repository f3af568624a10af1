#include "Keypad.h"

#include <QGridLayout>
#include <QPushButton>

namespace softphone::ui {

Keypad::Keypad(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Keypad"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    const QStringList keys = {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                              QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6"),
                              QStringLiteral("7"), QStringLiteral("8"), QStringLiteral("9"),
                              QStringLiteral("*"), QStringLiteral("0"), QStringLiteral("#")};
    for (int i = 0; i < keys.size(); ++i) {
        const QString key = keys[i];
        auto *button = new QPushButton(key, this);
        button->setObjectName(QStringLiteral("key_") + key);
        button->setAccessibleName(tr("Key %1").arg(key));
        button->setAutoDefault(false);
        button->setMinimumSize(48, 36);
        connect(button, &QPushButton::clicked, this, [this, key] { emit keyPressed(key); });
        grid->addWidget(button, i / 3, i % 3);
    }
}

} // namespace softphone::ui
