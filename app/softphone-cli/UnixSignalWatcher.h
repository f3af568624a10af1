#pragma once
// SIGINT/SIGTERM delivered into the event loop (self-pipe + QSocketNotifier), so
// the CLI hangs up its calls and signs out instead of dying mid-call.

#include <QObject>

class QSocketNotifier;

namespace softphone::cli {

class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace softphone::cli
