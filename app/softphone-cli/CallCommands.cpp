#include "CallCommands.h"

#include "CallAudio.h"
#include "CliSession.h"
#include "PushSentPrinter.h"

#include <QPointer>
#include <QRegularExpression>
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

const QCommandLineOption
    kTransferTo(QStringLiteral("transfer-to"),
                QStringLiteral("call, answer: once established, transfer the other side to USER "
                               "(blind transfer; this side's call ends when they follow)"),
                QStringLiteral("USER"));
const QCommandLineOption kFollowTransfer(
    QStringLiteral("follow-transfer"),
    QStringLiteral("call, answer: when the other side transfers this call, call the user it "
                   "names (prints {\"event\":\"transfer_request\"}) and go on with that call"));

const QCommandLineOption
    kSendDigits(QStringLiteral("send-digits"),
                QStringLiteral("call, answer: press these keypad digits (0-9 * # A-D) one after "
                               "the other, a second after the call is established (RFC 4733 "
                               "events, or in-band tones when the other side takes none)"),
                QStringLiteral("DIGITS"));

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

// What --hangup-after, --hold-after, --resume-after (ms), --transfer-to and
// --follow-transfer asked for.
struct CallPlan
{
    std::optional<int> hangupAfterMs;
    std::optional<int> holdAfterMs;
    std::optional<int> resumeAfterMs;
    QString transferTo;
    bool followTransfer = false;
    QString digits; // --send-digits
};

// Reads the options; an error text when one is malformed.
QString readPlan(const QCommandLineParser &parser, CallPlan *timers)
{
    QString error;
    timers->hangupAfterMs = secondsOption(parser, kHangupAfter, &error);
    timers->holdAfterMs = secondsOption(parser, kHoldAfter, &error);
    timers->resumeAfterMs = secondsOption(parser, kResumeAfter, &error);
    timers->transferTo = parser.value(kTransferTo);
    timers->followTransfer = parser.isSet(kFollowTransfer);
    timers->digits = parser.value(kSendDigits).toUpper();
    static const QRegularExpression keypad(QStringLiteral("^[0-9*#A-D]{0,64}$"));
    if (!keypad.match(timers->digits).hasMatch())
        error = QStringLiteral("--send-digits takes up to 64 of 0-9 * # A-D, not '%1'")
                    .arg(parser.value(kSendDigits));
    if (error.isEmpty() && timers->resumeAfterMs && !timers->holdAfterMs)
        error = QStringLiteral("--resume-after needs --hold-after");
    if (error.isEmpty() && parser.isSet(kTransferTo) &&
        !protocol::isValidUserId(timers->transferTo))
        error =
            QStringLiteral("--transfer-to: '%1' is not a valid user id").arg(timers->transferTo);
    return error;
}

// --hold-after: hold once established; --resume-after: resume once our hold took effect.
void holdOnSchedule(Call *call, const CallPlan &timers)
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

void finishWhenEnded(CliSession &session, Call *call, const CallPlan &timers,
                     const std::shared_ptr<CallAudio> &audio);

// Keypad digits: the other side's are printed ({"event":"dtmf","digit":"5"});
// --send-digits presses ours a second after the call is established.
void keypadDigits(CliSession &session, Call *call, const CallPlan &timers)
{
    QObject::connect(call, &Call::digitReceived, &session, [&session, call](QChar digit) {
        QJsonObject event = CliSession::callJson(QStringLiteral("dtmf"), call);
        event.insert(QLatin1StringView("digit"), QString(digit));
        session.printEvent(event);
    });
    if (timers.digits.isEmpty())
        return;
    QPointer<Call> guard(call);
    QObject::connect(call, &Call::stateChanged, call, [guard, digits = timers.digits](CallState s) {
        if (s == CallState::Established)
            QTimer::singleShot(1000, guard.data(), [guard, digits] {
                for (const QChar digit : digits) {
                    if (guard)
                        guard->sendDigit(digit);
                }
            });
    });
}

// --transfer-to: transfer once established. --follow-transfer: a transfer
// request makes a new call that takes over the session (the old call's end
// does not finish it).
void transferOnRequest(CliSession &session, Call *call, const CallPlan &timers,
                       const std::shared_ptr<CallAudio> &audio)
{
    if (!timers.transferTo.isEmpty()) {
        QPointer<Call> guard(call);
        QObject::connect(call, &Call::stateChanged, call,
                         [guard, to = timers.transferTo](CallState state) {
                             if (state == CallState::Established && guard)
                                 guard->transfer(to);
                         });
    }
    QObject::connect(call, &Call::transferRequested, &session,
                     [&session, call, timers, audio](const QString &to, const QString &by) {
                         QJsonObject event =
                             CliSession::callJson(QStringLiteral("transfer_request"), call);
                         event.insert(QLatin1StringView("to"), to);
                         event.insert(QLatin1StringView("by"), by);
                         session.printEvent(event);
                         if (!timers.followTransfer)
                             return;
                         call->setProperty("softphone_transferred", true);
                         Call *next = session.client()->followTransfer(call, to, by);
                         session.printEvent(CliSession::callJson(QStringLiteral("calling"), next));
                         CallPlan once = timers;
                         once.transferTo.clear(); // the new call is not sent on again
                         once.digits.clear();
                         finishWhenEnded(session, next, once, audio);
                     });
}

// Ends the session when the call ends (unless it was followed to another by a
// transfer); a failed call also says why on the error line. Gives the call its
// audio and applies the command line's plan for it.
void finishWhenEnded(CliSession &session, Call *call, const CallPlan &timers,
                     const std::shared_ptr<CallAudio> &audio)
{
    QPointer<Call> guard(call);
    audio->attach(call);
    holdOnSchedule(call, timers);
    keypadDigits(session, call, timers);
    transferOnRequest(session, call, timers, audio);
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
        if (ended->property("softphone_transferred").toBool())
            return; // the session goes on with the call it was transferred to
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
    CallPlan timers;
    if (const QString error = readPlan(parser, &timers); !error.isEmpty())
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
        finishWhenEnded(session, call, timers, audio);
    });
    return {};
}

QString runAnswer(CliSession &session, const QCommandLineParser &parser, const QStringList &args)
{
    if (!args.isEmpty())
        return QStringLiteral("answer takes no arguments");
    QString error;
    const int afterMs = secondsOption(parser, kAfter, &error).value_or(0);
    CallPlan timers;
    if (error.isEmpty())
        error = readPlan(parser, &timers);
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
                             finishWhenEnded(session, call, timers, audio);
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
    QList<QCommandLineOption> call{kHeader,     kHangupAfter,    kHoldAfter, kResumeAfter,
                                   kTransferTo, kFollowTransfer, kSendDigits};
    QList<QCommandLineOption> answer{kDecline,     kAfter,      kHangupAfter,    kHoldAfter,
                                     kResumeAfter, kTransferTo, kFollowTransfer, kSendDigits};
    call << CallAudio::options();
    answer << CallAudio::options();
    return {
        {QStringLiteral("call"),
         QStringLiteral(
             "call USER [--header K=V]... [--hangup-after SECONDS] [--hold-after "
             "SECONDS [--resume-after SECONDS]] [--transfer-to USER] [--follow-transfer] "
             "[--send-digits DIGITS] ") +
             audioSynopsis,
         QStringLiteral("Call USER (or the echo service: echo); exits when the call ends "
                        "(0, or 1 when it failed). Voice on the default microphone and "
                        "speaker unless told otherwise."),
         call, runCall},
        {QStringLiteral("answer"),
         QStringLiteral("answer [--decline] [--after SECONDS] [--hangup-after SECONDS] "
                        "[--hold-after SECONDS [--resume-after SECONDS]] [--transfer-to USER] "
                        "[--follow-transfer] [--send-digits DIGITS] ") +
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
