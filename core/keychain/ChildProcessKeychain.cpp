#include "ChildProcessKeychain.h"

#include "KeychainWire.h"

#include <QProcess>
#include <csignal>
#include <sys/prctl.h>

namespace softphone::keychain {

ChildProcessKeychain::ChildProcessKeychain(const QString &program, QObject *parent)
    : QObject(parent)
    , m_program(program)
{
    m_linger.setSingleShot(true);
    m_linger.setInterval(kLingerMs);
    connect(&m_linger, &QTimer::timeout, this, &ChildProcessKeychain::retireChild);
    m_answerTimeout.setSingleShot(true);
    m_answerTimeout.setInterval(kAnswerTimeoutMs);
    connect(&m_answerTimeout, &QTimer::timeout, this, [this] {
        abandonChild(tr("the keychain did not answer within %1 s").arg(kAnswerTimeoutMs / 1000));
    });
}

ChildProcessKeychain::~ChildProcessKeychain()
{
    // No answer runs any more. A child still at work gets its stdin closed and
    // a moment to finish (a rotated refresh token written just before a quit
    // is kept); one that does not exit then is killed.
    m_pending.clear();
    for (QProcess *child : findChildren<QProcess *>(Qt::FindDirectChildrenOnly)) {
        child->disconnect(this);
        child->closeWriteChannel();
        if (!child->waitForFinished(3000)) {
            child->kill();
            child->waitForFinished(1000);
        }
    }
}

void ChildProcessKeychain::run(const Request &request, const QObject *context, Done done)
{
    Q_ASSERT(context);
    const quint64 id = m_nextId++;
    m_pending.emplace(id,
                      Pending{QPointer<QObject>(const_cast<QObject *>(context)), std::move(done)});
    m_linger.stop();
    if (!m_child)
        startChild();
    if (!m_child)
        return; // failed at once: the pending request was answered (later)
    m_child->write(wire::encodeRequest(id, request));
    if (!m_answerTimeout.isActive())
        m_answerTimeout.start();
}

void ChildProcessKeychain::startChild()
{
    auto *child = new QProcess(this);
    m_child = child;
    m_output.clear();
    child->setProgram(m_program);
    // Its warnings (QtKeychain's) go where ours go; no secret is ever printed.
    child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    connect(child, &QProcess::readyReadStandardOutput, this, [this, child] {
        if (child == m_child)
            readChild();
    });
    connect(child, &QProcess::errorOccurred, this, [this, child](QProcess::ProcessError error) {
        if (child != m_child)
            return;
        if (error == QProcess::FailedToStart)
            abandonChild(
                tr("cannot start the keychain helper %1: %2").arg(m_program, child->errorString()));
        else if (error == QProcess::Crashed)
            abandonChild(tr("the keychain helper %1 crashed").arg(m_program));
    });
    connect(child, &QProcess::finished, this, [this, child](int code) {
        if (child != m_child) {
            child->deleteLater();
            return;
        }
        readChild(); // answers still in the pipe
        if (child == m_child)
            abandonChild(tr("the keychain helper %1 ended (exit code %2) without answering")
                             .arg(m_program)
                             .arg(code));
    });
    child->start(QIODevice::ReadWrite);
}

void ChildProcessKeychain::readChild()
{
    m_output += m_child->readAllStandardOutput();
    QList<QByteArray> lines;
    const bool bounded = wire::takeLines(m_output, &lines);
    for (const QByteArray &line : lines) {
        quint64 id = 0;
        QString error;
        const auto reply = wire::decodeReply(line, &id, &error);
        const auto it = reply ? m_pending.find(id) : m_pending.end();
        if (it == m_pending.end()) {
            abandonChild(tr("the keychain helper answered what was not asked: %1")
                             .arg(reply ? tr("request %1").arg(id) : error));
            return;
        }
        Pending pending = std::move(it->second);
        m_pending.erase(it);
        answer(std::move(pending), *reply);
    }
    if (!bounded) {
        abandonChild(
            tr("the keychain helper's answer is longer than %1 bytes").arg(wire::kMaxLine));
        return;
    }
    if (m_pending.empty()) {
        m_answerTimeout.stop();
        m_linger.start();
    } else if (!lines.isEmpty()) {
        m_answerTimeout.start(); // it is answering: the next answer gets its own time
    }
}

void ChildProcessKeychain::retireChild()
{
    if (!m_child || !m_pending.empty())
        return;
    // Its stdin ends: it finishes what it does and exits. If it does not,
    // it is killed; the finished handler deletes it.
    QProcess *child = m_child;
    m_child = nullptr;
    child->closeWriteChannel();
    QTimer::singleShot(5000, child, [child] { child->kill(); });
}

void ChildProcessKeychain::abandonChild(const QString &why)
{
    if (QProcess *child = m_child) {
        m_child = nullptr;
        child->disconnect(this);
        child->kill();
        connect(child, &QProcess::finished, child, &QObject::deleteLater);
        if (child->state() == QProcess::NotRunning)
            child->deleteLater();
    }
    m_output.clear();
    m_answerTimeout.stop();
    std::map<quint64, Pending> pending;
    pending.swap(m_pending);
    Reply reply;
    reply.status = Reply::Status::Failed;
    reply.message = why;
    for (auto &[id, p] : pending)
        answer(std::move(p), reply);
}

void ChildProcessKeychain::answer(Pending pending, const Reply &reply)
{
    // Never inside run() (a child may fail to start there), and only while the context lives.
    if (!pending.context)
        return;
    QMetaObject::invokeMethod(
        pending.context,
        [done = std::move(pending.done), reply] {
            if (done)
                done(reply);
        },
        Qt::QueuedConnection);
}

} // namespace softphone::keychain
