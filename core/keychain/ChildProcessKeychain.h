#pragma once
// The keychain in a short-lived child process: the requests go to a child
// (softphone-keychain, InProcessKeychain behind KeychainWire) over its stdin,
// the replies come back over its stdout; the child is started on the first
// request and told to finish (stdin closed) once nothing has been asked for
// kLingerMs, so the libraries QtKeychain's Secret Service backend loads
// (libsecret, GLib, GIO, libgcrypt, a GDBus thread) live and die with it and
// never in this process. The child dies with this process (PR_SET_PDEATHSIG,
// and an ended stdin). A child that cannot start, ends, answers nonsense or does
// not answer within kAnswerTimeoutMs fails what was asked, with the reason.

#include "Keychain.h"

#include <QPointer>
#include <QTimer>
#include <map>

class QProcess;

namespace softphone::keychain {

class ChildProcessKeychain : public QObject, public Keychain
{
    Q_OBJECT
public:
    static constexpr int kLingerMs = 2000;
    // Long enough for a user to answer the keychain's unlock prompt.
    static constexpr int kAnswerTimeoutMs = 120000;

    // program: the child's executable.
    explicit ChildProcessKeychain(const QString &program, QObject *parent = nullptr);
    ~ChildProcessKeychain() override;

    void run(const Request &request, const QObject *context, Done done) override;

    // Whether a child is running for us now (tests, benchmarks).
    bool childRunning() const { return m_child != nullptr; }

private:
    struct Pending
    {
        QPointer<QObject> context;
        Done done;
    };
    void startChild();
    void readChild();
    void retireChild();
    // The child is unusable: it is let go and every pending request fails with why.
    void abandonChild(const QString &why);
    void answer(Pending pending, const Reply &reply);

    QString m_program;
    QProcess *m_child = nullptr;
    QByteArray m_output; // the child's stdout not yet made of whole lines
    quint64 m_nextId = 1;
    std::map<quint64, Pending> m_pending;
    QTimer m_linger;
    QTimer m_answerTimeout;
};

} // namespace softphone::keychain
