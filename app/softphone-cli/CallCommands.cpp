#include "CallCommands.h"

#include "CallAudio.h"
#include "CliSession.h"
#include "PushSentPrinter.h"

#include <QPointer>
#include <QTimer>

namespace softphone::cli {

using namespace client;

namespace {

const QCommandLineOption
    kHeader(QStringLiteral("header"),
            QStringLiteral("call: a custom header K=V (repeatable, 1024 bytes in all)"),
            QStringLiteral("K=V"));
const QCommandLineOption
    kHangupAfter(QStringLiteral("hangup-after"),
                 QStringLiteral("call, answer: hang up SECONDS after the call is "
                                "established (default: wait for the other side)"),
                 QStringLiteral("SECONDS"));
const QCommandLineOption kDecline(QStringLiteral("decline"),
                                  QStringLiteral("answer: decline the incoming call instead"));
const QCommandLineOption
    kAfter(QStringLiteral("after"),
           QStringLiteral("answer: wait SECONDS after the call rings (default 0)"),
           QStringLiteral("SECONDS"));

const QCommandLineOption
    kHoldAfter(QStringLiteral("hold-after"),
               QStringLiteral("call, answer: put the call on hold SECONDS after it is "
                              "established (prints {\"event\":\"held\"})"),
               QStringLiteral("SECONDS"));
const QCommandLineOption
    kResumeAfter(QStringLiteral("resume-after"),
                 QStringLiteral("call, answer: with --hold-after, resume SECONDS after the "
                                "hold took effect (prints {\"event\":\"resumed\"})"),
                 QStringLiteral("SECONDS"));

// Seconds >= 0, fractions allowed; nullopt when absent, error text when malformed.
std::optional<int> secondsOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                                 QString *error)
{
    if (!parser.isSet(option))
        return std::nullopt;
    bool ok = false;
    const double seconds = parser.value(option).toDouble(&ok);
    if (!ok || seconds < 0 || seconds > 86400) {
        *error = QStringLiteral("--%1 needs a number of seconds (0-86400), not '%2'")
                     .arg(option.names().first(), parser.value(option));
        return std::nullopt;
    }
    return int(seconds * 1000);
}

int exitCodeFor(const Call *call)
{
    const EndCause cause = call->details().endCause;
    return cause == EndCause::Failure || cause == EndCause::Timeout ? ExitCallFailed : ExitOk;
}

// What --hangup-after, --hold-after and --resume-after asked for (ms).
struct CallTimers
{
    std::optional<int> hangupAfterMs;
    std::optional<int> holdAfterMs;
    std::optional<int> resumeAfterMs;
};

// Reads the three options; an error text when one is malformed.
QString readTimers(const QCommandLineParser &parser, CallTimers *timers)
{
    QString error;
    timers->hangupAfterMs = secondsOption(parser, kHangupAfter, &error);
    timers->holdAfterMs = secondsOption(parser, kHoldAfter, &error);
    timers->resumeAfterMs = secondsOption(parser, kResumeAfter, &error);
    if (error.isEmpty() && timers->resumeAfterMs && !timers->holdAfterMs)
        error = QStringLiteral("--resume-after needs --hold-after");
    return error;
}

// --hold-after: hold once established; --resume-after: resume once our hold took effect.
void holdOnSchedule(Call *call, const CallTimers &timers)
{
    if (!timers.holdAfterMs)
        return;
    QPointer<Call> guard(call);
    QObject::connect(call, &Call::stateChanged, call, [guard, timers](CallState state) {
        if (state == CallState::Established)
            QTimer::singleShot(*timers.holdAfterMs, guard.data(), [guard] {
                if (guard)
                    guard->hold();
            });
    });
    if (!timers.resumeAfterMs)
        return;
    auto resumed = std::make_shared<bool>(false);
    QObject::connect(call, &Call::holdChanged, call, [guard, timers, resumed] {
        if (!guard || !guard->isHeldByMe() || std::exchange(*resumed, true))
            return;
        QTimer::singleShot(*timers.resumeAfterMs, guard.data(), [guard] {
            if (guard)
                guard->resume();
        });
    });
}

// Ends the session when the call ends; a failed call also says why on the error line.
void finishWhenEnded(CliSession &session, Call *call, const CallTimers &timers)
{
    QPointer<Call> guard(call);
    holdOnSchedule(call, timers);
    const std::optional<int> hangupAfterMs = timers.hangupAfterMs;
    if (hangupAfterMs) {
        QObject::connect(call, &Call::stateChanged, call, [guard, hangupAfterMs](CallState state) {
            if (state == CallState::Established)
                QTimer::singleShot(*hangupAfterMs, guard.data(), [guard] {
                    if (guard)
                        guard->hangup();
                });
        });
    }
    session.watchCall(call, [&session](Call *ended) {
        const int code = exitCodeFor(ended);
        if (code == ExitOk) {
            session.finish(ExitOk);
            return;
        }
        const auto error = ended->details().error;
        session.fail(QStringLiteral("the call to %1 failed: %2")
                         .arg(ended->remoteUserId(),
                              error ? QStringLiteral("%1 (%2)").arg(error->message, error->code)
                                    : endCauseName(ended->details().endCause)),
                     code);
    });
}

QString runCall(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (args.size() != 1)
        return QStringLiteral("call needs exactly one USER");
    const QString to = args.first();
    if (!protocol::isValidUserId(to))
        return QStringLiteral("'%1' is not a valid user id").arg(to);
    protocol::Headers headers;
    for (const QString &header : parser.values(kHeader)) {
        const qsizetype eq = header.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return QStringLiteral("--header needs K=V, not '%1'").arg(header);
        headers.insert(header.left(eq), header.mid(eq + 1));
    }
    if (const auto problem = protocol::checkHeaders(headers))
        return QStringLiteral("headers: %1").arg(problem->message);
    CallTimers timers;
    if (const QString error = readTimers(parser, &timers); !error.isEmpty())
        return error;
    auto audio = std::make_shared<CallAudio>();
    if (const QString problem = audio->prepare(parser); !problem.isEmpty())
        return problem;

    ClientCapabilities capabilities;
    capabilities.calling = true;
    session.start(capabilities, [&session, to, headers, timers, audio] {
        // Pairs for the callee's offline devices go to the application server (push_sent).
        postPushPairsFor(session);
        Call *call = session.client()->callUser(to, headers);
        session.printEvent(CliSession::callJson(QStringLiteral("calling"), call));
        audio->attach(call);
        finishWhenEnded(session, call, timers);
    });
    return {};
}

QString runAnswer(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("answer takes no arguments");
    QString error;
    const int afterMs = secondsOption(parser, kAfter, &error).value_or(0);
    CallTimers timers;
    if (error.isEmpty())
        error = readTimers(parser, &timers);
    if (!error.isEmpty())
        return error;
    const bool decline = parser.isSet(kDecline);
    auto audio = std::make_shared<CallAudio>();
    if (const QString problem = audio->prepare(parser); !problem.isEmpty())
        return problem;

    ClientCapabilities capabilities;
    capabilities.calling = true;
    session.start(capabilities, [&session, afterMs, timers, decline, audio] {
        session.printEvent({{"event", "waiting"}});
        auto taken = std::make_shared<bool>(false);
        QObject::connect(session.client(), &SoftphoneClient::incomingCall, &session,
                         [&session, afterMs, timers, decline, taken, audio](Call *call) {
                             QJsonObject event =
                                 CliSession::callJson(QStringLiteral("incoming"), call);
                             event.insert(QLatin1StringView("headers"),
                                          QJsonObject::fromVariantMap(call->headersMap()));
                             session.printEvent(event);
                             if (*taken)
                                 return; // busy with the first call; this one keeps ringing
                             *taken = true;
                             audio->attach(call);
                             finishWhenEnded(session, call, timers);
                             QPointer<Call> guard(call);
                             QTimer::singleShot(afterMs, call, [guard, decline] {
                                 if (!guard)
                                     return;
                                 if (decline)
                                     guard->hangup();
                                 else
                                     guard->answer();
                             });
                         });
    });
    return {};
}

QString runListen(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("listen takes no arguments");
    auto audio = std::make_shared<CallAudio>();
    if (const QString problem = audio->prepare(parser); !problem.isEmpty())
        return problem;
    ClientCapabilities capabilities;
    capabilities.calling = true;
    session.start(capabilities, [&session, audio] {
        QObject::connect(session.client(), &SoftphoneClient::incomingCall, &session,
                         [&session, audio](Call *call) {
                             QJsonObject event =
                                 CliSession::callJson(QStringLiteral("incoming"), call);
                             event.insert(QLatin1StringView("headers"),
                                          QJsonObject::fromVariantMap(call->headersMap()));
                             session.printEvent(event);
                             audio->attach(call);
                             session.watchCall(call);
                         });
    });
    return {};
}

} // namespace

QList<CliCommand> callCommands()
{
    const QString audioSynopsis =
        QStringLiteral("[--audio-in FILE.wav | --input-device NAME] [--audio-out FILE.wav | "
                       "--output-device NAME] [--no-audio]");
    QList<QCommandLineOption> call{kHeader, kHangupAfter, kHoldAfter, kResumeAfter};
    QList<QCommandLineOption> answer{kDecline, kAfter, kHangupAfter, kHoldAfter, kResumeAfter};
    call << CallAudio::options();
    answer << CallAudio::options();
    return {
        {QStringLiteral("call"),
         QStringLiteral("call USER [--header K=V]... [--hangup-after SECONDS] [--hold-after "
                        "SECONDS [--resume-after SECONDS]] ") +
             audioSynopsis,
         QStringLiteral("Call USER (or the echo service: echo); exits when the call ends "
                        "(0, or 1 when it failed). Voice on the default microphone and "
                        "speaker unless told otherwise."),
         call, runCall},
        {QStringLiteral("answer"),
         QStringLiteral("answer [--decline] [--after SECONDS] [--hangup-after SECONDS] "
                        "[--hold-after SECONDS [--resume-after SECONDS]] ") +
             audioSynopsis,
         QStringLiteral("Wait for an incoming call, answer or decline it; exits when it ends."),
         answer, runAnswer},
        {QStringLiteral("listen"), QStringLiteral("listen ") + audioSynopsis,
         QStringLiteral("Stay online printing every event until SIGINT/SIGTERM."),
         CallAudio::options(), runListen},
        audioDevicesCommand(),
    };
}

} // namespace softphone::cli
