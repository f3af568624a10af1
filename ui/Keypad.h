#pragma once
// A 12-key telephone keypad (1-9, *, 0, #). In the dialer it types into the
// user field; in a call window it sends DTMF (Call::sendDigit).

#include <QWidget>

namespace softphone::ui {

class Keypad : public QWidget
{
    Q_OBJECT

public:
    explicit Keypad(QWidget *parent = nullptr);

signals:
    void keyPressed(const QString &key);
};

} // namespace softphone::ui
