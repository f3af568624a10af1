#include "CallCommands.h"

#include "CallAudio.h"
#include "CliSession.h"
#include "PushSentPrinter.h"
#include "client/CallWaiting.h"

#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <algorithm>

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
    kAnswerAll(QStringLiteral("answer-all"),
               QStringLiteral("listen: answer every incoming call at once (a bot, a test)"));
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
    kThenCall(QStringLiteral("then-call"),
              QStringLiteral("call: once established, put the call on hold and call USER too "
                             "(a second call; the command exits when both have ended)"),
              QStringLiteral("USER"));
const QCommandLineOption
    kConnect(QStringLiteral("connect"),
             QStringLiteral(
                 "call: with --then-call, once the second call is established, connect the "
                 "two other parties (attended transfer; prints {\"event\":\"transfer_result\"})"));

const QCommandLineOption
    kSwitchAfter(QStringLiteral("switch-after"),
                 QStringLiteral("call: with --then-call, SECONDS after the second call is "
                                "established, hold it and resume the first (switching)"),
                 QStringLiteral("SECONDS"));
const QCommandLineOption
    kSendDigits(QStringLiteral("send-digits"),
                QStringLiteral("call, answer: press these keypad digits (0-9 * # A-D) one after "
                               "the other, a second after the call is established (RFC 4733 "
                               "events, or in-band tones when the other side takes none)"),
                QStringLiteral("DIGITS"));

const QCommandLineOption
    kWaiting(QStringLiteral("waiting"),
             QStringLiteral("answer, listen: answer a call that comes in during an established "
                            "one as the softphone's call waiting does: hold (hold the others "
                            "and answer) or end (hang them up and answer). Without it the "
                            "second call keeps ringing (answer), or is answered beside the "
                            "first (listen --answer-all)"),
             QStringLiteral("hold|end"));

// --waiting: how a call that comes in during another is answered; nullopt when
// not asked for, error text when malformed.
std::optional<client::WaitingAnswer> waitingOption(const QCommandLineParser &parser, QString *error)
{
    if (!parser.isSet(kWaiting))
        return std::nullopt;
    const QString how = parser.value(kWaiting);
    if (how == QLatin1String("hold"))
        return client::WaitingAnswer::HoldOthers;
    if (how == QLatin1String("end"))
        return client::WaitingAnswer::EndOthers;
    *error = QStringLiteral("--waiting takes hold or end, not '%1'").arg(how);
    return std::nullopt;
}

// Another call of the session is established: `call` would be a waiting call.
bool duringAnother(CliSession &session, const Call *call)
{
    const QList<Call *> calls = session.client()->activeCalls();
    return std::any_of(calls.cbegin(), calls.cend(), [call](const Call *other) {
        return other != call && other->state() == CallState::Established;
    });
}

// Answers `call`, first holding or hanging up the session's other established calls.
void answerWaiting(CliSession &session, Call *call, client::WaitingAnswer how)
{
    client::makeWayFor(call, session.client()->activeCalls(), how);
    call->answer();
}

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

// A call of the session: the session ends when the last of them ends.
constexpr const char *kWatched = "softphone_watched";

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
    QString thenCall;
    bool connect = false;
    std::optional<int> switchAfterMs;
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
    timers->thenCall = parser.value(kThenCall);
    timers->connect = parser.isSet(kConnect);
    if (error.isEmpty() && parser.isSet(kThenCall) && !protocol::isValidUserId(timers->thenCall))
        error = QStringLiteral("--then-call: '%1' is not a valid user id").arg(timers->thenCall);
    timers->switchAfterMs = secondsOption(parser, kSwitchAfter, &error);
    if (error.isEmpty() && (timers->connect || timers->switchAfterMs) && timers->thenCall.isEmpty())
        error = QStringLiteral("--connect and --switch-after need --then-call");
    timers->digits = parser.value(kSendDigits).toUpper();
    static const QRegularExpression keypad(QStringLiteral("^[0-9*#A-D]{0,64}$"));
    if (error.isEmpty() && !keypad.match(timers->digits).hasMatch())
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
    QObject::connect(
        call, &Call::transferRequested, &session,
        [&session, call, timers, audio](const QString &to, const QString &by,
                                        const QString &replaces) {
            QJsonObject event = CliSession::callJson(QStringLiteral("transfer_request"), call);
            event.insert(QLatin1StringView("to"), to);
            event.insert(QLatin1StringView("by"), by);
            if (!replaces.isEmpty())
                event.insert(QLatin1StringView("replaces"), replaces);
            session.printEvent(event);
            if (!timers.followTransfer)
                return;
            if (replaces
                    .isEmpty()) // attended: the first call goes on until the new one is answered
                call->setProperty("softphone_transferred", true);
            Call *next = session.client()->followTransfer(call, to, by, replaces);
            session.printEvent(CliSession::callJson(QStringLiteral("calling"), next));
            CallPlan once = timers;
            once.transferTo.clear(); // the new call is not sent on again
            once.thenCall.clear();
            once.digits.clear();
            finishWhenEnded(session, next, once, audio);
        });
    // Attended transfer, as the transferor: how the other party's new call went.
    QObject::connect(
        call, &Call::transferFinished, &session, [call](bool connected, const QString &cause) {
            QJsonObject event = CliSession::callJson(QStringLiteral("transfer_result"), call);
            event.insert(QLatin1StringView("to"), call->transferTarget());
            event.insert(QLatin1StringView("ok"), connected);
            if (!cause.isEmpty())
                event.insert(QLatin1StringView("cause"), cause);
            CliSession::printEvent(event);
        });
}

// --then-call: once `call` is established, hold it and place a second call;
// --connect: once that one is established too, connect the two parties;
// --switch-after: some seconds after that, hold the second and resume the first.
void callNextOnSchedule(CliSession &session, Call *call, const CallPlan &timers,
                        const std::shared_ptr<CallAudio> &audio)
{
    if (timers.thenCall.isEmpty())
        return;
    QPointer<Call> first(call);
    QObject::connect(
        call, &Call::stateChanged, &session, [&session, first, timers, audio](CallState state) {
            if (state != CallState::Established || !first)
                return;
            first->hold();
            Call *second = session.client()->callUser(timers.thenCall);
            session.printEvent(CliSession::callJson(QStringLiteral("calling"), second));
            finishWhenEnded(session, second, CallPlan{}, audio);
            QPointer<Call> next(second);
            QObject::connect(
                second, &Call::stateChanged, second, [first, next, timers](CallState s) {
                    if (s != CallState::Established || !first || !next)
                        return;
                    if (timers.connect)
                        first->transfer(next->remoteUserId(), next->id());
                    if (timers.switchAfterMs)
                        QTimer::singleShot(*timers.switchAfterMs, next.data(), [first, next] {
                            if (!first || !next)
                                return;
                            next->hold(); // one conversation at a time
                            first->resume();
                        });
                });
        });
}

// Ends the session when the call ends (unless it was followed to another by a
// transfer); a failed call also says why on the error line. Gives the call its
// audio and applies the command line's plan for it.
void finishWhenEnded(CliSession &session, Call *call, const CallPlan &timers,
                     const std::shared_ptr<CallAudio> &audio)
{
    QPointer<Call> guard(call);
    call->setProperty(kWatched, true);
    audio->attach(call);
    holdOnSchedule(call, timers);
    keypadDigits(session, call, timers);
    transferOnRequest(session, call, timers, audio);
    callNextOnSchedule(session, call, timers, audio);
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
        for (const Call *other : session.client()->activeCalls()) {
            if (other != ended && other->property(kWatched).toBool())
                return; // a second call of the session (--then-call, a transfer) goes on
        }
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
    const auto waiting = waitingOption(parser, &error);
    if (!error.isEmpty())
        return error;
    auto audio = std::make_shared<CallAudio>();
    if (const QString problem = audio->prepare(parser); !problem.isEmpty())
        return problem;

    ClientCapabilities capabilities;
    capabilities.calling = true;
    session.start(capabilities, [&session, afterMs, timers, decline, waiting, audio] {
        session.printEvent({{"event", "waiting"}});
        auto taken = std::make_shared<bool>(false);
        QObject::connect(session.client(), &SoftphoneClient::incomingCall, &session,
                         [&session, afterMs, timers, decline, waiting, taken, audio](Call *call) {
                             QJsonObject event =
                                 CliSession::callJson(QStringLiteral("incoming"), call);
                             event.insert(QLatin1StringView("headers"),
                                          QJsonObject::fromVariantMap(call->headersMap()));
                             session.printEvent(event);
                             if (!call->replacedCallId().isEmpty()) {
                                 // Attended transfer: it takes over our call (the client
                                 // answers it) and the session goes on with it.
                                 finishWhenEnded(session, call, CallPlan{}, audio);
                                 return;
                             }
                             if (*taken && waiting && duringAnother(session, call)) {
                                 // Call waiting: the session goes on until both have ended.
                                 finishWhenEnded(session, call, CallPlan{}, audio);
                                 answerWaiting(session, call, *waiting);
                                 return;
                             }
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
    const bool answerAll = parser.isSet(kAnswerAll);
    QString error;
    const auto waiting = waitingOption(parser, &error);
    if (!error.isEmpty())
        return error;
    if (waiting && !answerAll)
        return QStringLiteral("--waiting needs --answer-all");
    ClientCapabilities capabilities;
    capabilities.calling = true;
    session.start(capabilities, [&session, audio, answerAll, waiting] {
        // The client is the same one across reconnects and failovers (moveTo).
        QObject::connect(session.client(), &SoftphoneClient::incomingCall, &session,
                         [&session, audio, answerAll, waiting](Call *call) {
                             QJsonObject event =
                                 CliSession::callJson(QStringLiteral("incoming"), call);
                             event.insert(QLatin1StringView("headers"),
                                          QJsonObject::fromVariantMap(call->headersMap()));
                             session.printEvent(event);
                             audio->attach(call);
                             session.watchCall(call);
                             if (answerAll && waiting)
                                 QTimer::singleShot(0, call, [&session, call, waiting] {
                                     answerWaiting(session, call, *waiting);
                                 });
                             else if (answerAll)
                                 QTimer::singleShot(0, call, [call] { call->answer(); });
                         });
    });
    return {};
}

} // namespace

QList<CliCommand> callCommands()
{
    const QString audioSynopsis =
        QStringLiteral("[--audio-in FILE.wav | --input-device NAME] [--audio-out FILE.wav | "
                       "--output-device NAME] [--no-audio] [--no-audio-processing]");
    QList<QCommandLineOption> call{kHeader,      kHangupAfter,    kHoldAfter, kResumeAfter,
                                   kTransferTo,  kFollowTransfer, kThenCall,  kConnect,
                                   kSwitchAfter, kSendDigits};
    QList<QCommandLineOption> answer{kDecline,        kAfter,       kHangupAfter,
                                     kHoldAfter,      kResumeAfter, kTransferTo,
                                     kFollowTransfer, kSendDigits,  kWaiting};
    call << CallAudio::options();
    answer << CallAudio::options();
    return {
        {QStringLiteral("call"),
         QStringLiteral(
             "call USER [--header K=V]... [--hangup-after SECONDS] [--hold-after "
             "SECONDS [--resume-after SECONDS]] [--transfer-to USER] [--follow-transfer] "
             "[--then-call USER [--connect] [--switch-after SECONDS]] [--send-digits DIGITS] ") +
             audioSynopsis,
         QStringLiteral("Call USER (or the echo service: echo); exits when the call ends "
                        "(0, or 1 when it failed). Voice on the default microphone and "
                        "speaker unless told otherwise."),
         call, runCall},
        {QStringLiteral("answer"),
         QStringLiteral("answer [--decline] [--after SECONDS] [--hangup-after SECONDS] "
                        "[--hold-after SECONDS [--resume-after SECONDS]] [--transfer-to USER] "
                        "[--follow-transfer] [--send-digits DIGITS] [--waiting hold|end] ") +
             audioSynopsis,
         QStringLiteral("Wait for an incoming call, answer or decline it; exits when it ends "
                        "(with --waiting, when every call it answered has ended)."),
         answer, runAnswer},
        {QStringLiteral("listen"),
         QStringLiteral("listen [--answer-all [--waiting hold|end]] ") + audioSynopsis,
         QStringLiteral("Stay online printing every event until SIGINT/SIGTERM."),
         QList<QCommandLineOption>{kAnswerAll, kWaiting} + CallAudio::options(), runListen},
        audioDevicesCommand(),
    };
}

} // namespace softphone::cli
