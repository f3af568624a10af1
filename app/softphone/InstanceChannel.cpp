#include "InstanceChannel.h"

#include "AppLogging.h"
#include "ipc/LineRequest.h"
#include "ipc/LineServer.h"

#include <QJsonArray>
#include <QTimer>

namespace softphone::app {

namespace {
// A second launch waits this long for the running softphone's answer.
constexpr int kForwardTimeoutMs = 5000;
} // namespace

InstanceChannel::InstanceChannel(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_path(socketPath)
{}

InstanceChannel::~InstanceChannel() = default;

void InstanceChannel::claimOrForward(const QStringList &args)
{
    m_args = args;
    const QJsonObject activate =
        ipc::lineMessage(ipc::kInstanceProtocol, QStringLiteral("activate"),
                         {{QStringLiteral("args"), QJsonArray::fromStringList(args)}});
    ipc::LineRequest::send(
        m_path, ipc::kInstanceProtocol, activate, kForwardTimeoutMs, this,
        [this](const ipc::LineRequest::Result &result) {
            using Outcome = ipc::LineRequest::Outcome;
            if (result.ok())
                emit forwarded();
            else if (result.outcome == Outcome::NoServer)
                becomeFirstOrKnockAgain();
            else if (result.outcome == Outcome::Answered)
                emit failed(result.reason());
            else if (result.outcome == Outcome::TimedOut)
                emit failed(QStringLiteral("the running softphone did not answer in time"));
            else
                emit failed(QStringLiteral("the running softphone did not answer"));
        });
}

void InstanceChannel::becomeFirstOrKnockAgain()
{
    if (!m_lock) {
        m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
        m_lock->setStaleLockTime(0); // a dead holder's lock is stale (pid check), whatever its age
    }
    if (m_lock->tryLock(0)) {
        listen();
        return;
    }
    // Another softphone is starting and about to listen: forward to it then.
    if (++m_knocks > 100) {
        emit failed(QStringLiteral("another softphone is starting and does not answer"));
        return;
    }
    QTimer::singleShot(100, this, [this] { claimOrForward(m_args); });
}

void InstanceChannel::listen()
{
    m_server = new ipc::LineServer(m_path, ipc::kInstanceProtocol, this);
    m_server->setHandler([this](const QString &type, const QJsonObject &message,
                                const ipc::LineReply &reply) { handle(type, message, reply); });
    // Nobody answered on the socket, so a file left there is from a crashed instance.
    QString error;
    if (!m_server->listen(&error)) {
        emit failed(error);
        return;
    }
    qCInfo(lcApp) << "single-instance socket at" << m_path;
    emit becamePrimary();
}

void InstanceChannel::handle(const QString &type, const QJsonObject &message,
                             const ipc::LineReply &reply)
{
    const QString badRequest = QStringLiteral("bad_request");
    if (type == QLatin1String("activate")) {
        const QJsonValue args = message.value(QStringLiteral("args"));
        bool valid = args.isUndefined() || args.isArray();
        QStringList list;
        for (const QJsonValue &v : args.toArray()) {
            valid = valid && v.isString();
            list.append(v.toString());
        }
        if (!valid)
            return reply.error(badRequest, QStringLiteral("'args' must be an array of strings"));
        emit activationRequested(list);
        reply.ok();
    } else if (type == QLatin1String("push")) {
        const QJsonValue payload = message.value(QStringLiteral("payload"));
        if (!payload.isString() || payload.toString().isEmpty())
            return reply.error(badRequest, QStringLiteral("'payload' must be a non-empty string"));
        emit pushPayloadReceived(payload.toString());
        reply.ok(m_pushAnswerFields ? m_pushAnswerFields() : QJsonObject());
    } else if (type == QLatin1String("push_status")) {
        const QString why = checkPushStatus(message);
        if (!why.isEmpty())
            return reply.error(badRequest, why);
        emit agentPushStatusReceived(message.value(QStringLiteral("state")).toString(),
                                     message.value(QStringLiteral("endpointHost")).toString(),
                                     message.value(QStringLiteral("reason")).toString());
        reply.ok();
    } else {
        reply.error(QStringLiteral("unknown_type"), QStringLiteral("unknown type '%1'").arg(type));
    }
}

QString InstanceChannel::checkPushStatus(const QJsonObject &message)
{
    static const QStringList states{QStringLiteral("registered"), QStringLiteral("registering"),
                                    QStringLiteral("failed"), QStringLiteral("off")};
    const QString state = message.value(QStringLiteral("state")).toString();
    const QJsonValue host = message.value(QStringLiteral("endpointHost"));
    const QJsonValue reason = message.value(QStringLiteral("reason"));
    if (!states.contains(state))
        return QStringLiteral("'state' must be one of: %1").arg(states.join(u", "));
    if ((!host.isUndefined() && !host.isString()) || (!reason.isUndefined() && !reason.isString()))
        return QStringLiteral("'endpointHost' and 'reason' must be strings");
    if (state == QLatin1String("registered") && host.toString().isEmpty())
        return QStringLiteral("'registered' needs a non-empty 'endpointHost'");
    if ((state == QLatin1String("failed") || state == QLatin1String("off")) &&
        reason.toString().isEmpty())
        return QStringLiteral("'%1' needs a non-empty 'reason'").arg(state);
    if (host.toString().size() > 255 || reason.toString().size() > 1000)
        return QStringLiteral("'endpointHost' or 'reason' too long");
    return {};
}

} // namespace softphone::app
