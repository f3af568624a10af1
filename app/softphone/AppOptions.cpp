#include "AppOptions.h"

#include "client/ClientConfig.h"
#include "ui/Theme.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

namespace softphone::app {

std::optional<AppOptions> AppOptions::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "Desktop softphone"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        QStringLiteral("server"),
        QCoreApplication::translate("main", "Application server address."), QStringLiteral("URL"));
    const QCommandLineOption user(QStringLiteral("user"),
                                  QCoreApplication::translate("main", "User name to sign in as."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"),
        QCoreApplication::translate("main",
                                    "Read the password from the first line of standard input."));
    const QCommandLineOption minimized(
        QStringLiteral("minimized"),
        QCoreApplication::translate("main", "Start without showing the window."));
    const QCommandLineOption dialer(
        QStringLiteral("dialer"),
        QCoreApplication::translate("main", "Show the dialer, ready for whom to call."));
    const QCommandLineOption reportStartup(
        QStringLiteral("report-startup"),
        QCoreApplication::translate("main",
                                    "Print a JSON line when the window is ready (benchmarks)."));
    const QCommandLineOption answer(
        QStringLiteral("answer"),
        QCoreApplication::translate("main", "Answer this incoming call (notification action)."),
        QStringLiteral("CALL_ID"));
    const QCommandLineOption decline(
        QStringLiteral("decline"),
        QCoreApplication::translate("main", "Decline this incoming call (notification action)."),
        QStringLiteral("CALL_ID"));
    const QCommandLineOption allowInsecure(
        QStringLiteral("allow-insecure"),
        QCoreApplication::translate(
            "main", "Allow an unencrypted http:// server other than this computer."));
    const QCommandLineOption style(
        QStringLiteral("style"),
        QCoreApplication::translate(
            "main", "Colours: system (the desktop's), light or dark, for this run."),
        QStringLiteral("system|light|dark"));
    parser.addOptions({server, user, passwordStdin, minimized, dialer, reportStartup, answer,
                       decline, allowInsecure, style});
    parser.addPositionalArgument(
        QStringLiteral("URI"),
        QCoreApplication::translate("main", "softphone:USER or tel:NUMBER to call."));
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        *error = parser.helpText();
        return std::nullopt;
    }
    AppOptions options;
    options.server = parser.values(server).join(QLatin1Char(',')); // several nodes: a list
    options.user = parser.value(user);
    options.passwordFromStdin = parser.isSet(passwordStdin);
    options.minimized = parser.isSet(minimized);
    options.showDialer = parser.isSet(dialer);
    options.reportStartup = parser.isSet(reportStartup);
    options.allowInsecure = parser.isSet(allowInsecure);
    options.answerCall = parser.value(answer);
    options.declineCall = parser.value(decline);
    options.style = parser.value(style).toLower();
    if (!options.style.isEmpty() && !ui::theme::schemeNamed(options.style)) {
        *error = QCoreApplication::translate("main", "--style takes system, light or dark, not %1")
                     .arg(options.style);
        return std::nullopt;
    }
    if (!options.answerCall.isEmpty() && !options.declineCall.isEmpty()) {
        *error = QCoreApplication::translate("main", "--answer and --decline exclude each other.");
        return std::nullopt;
    }
    static const QRegularExpression callId(QStringLiteral("^[A-Za-z0-9_.:-]{1,128}$"));
    for (const QString &id : {options.answerCall, options.declineCall}) {
        if (!id.isEmpty() && !callId.match(id).hasMatch()) {
            *error = QCoreApplication::translate("main", "Not a call id: %1").arg(id);
            return std::nullopt;
        }
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        *error = QCoreApplication::translate("main", "Only one URI may be given.");
        return std::nullopt;
    }
    if (!positional.isEmpty()) {
        options.dialTarget = dialTargetFromUri(positional.first());
        if (options.dialTarget.isEmpty()) {
            *error = QCoreApplication::translate("main", "Not a softphone: or tel: URI: %1")
                         .arg(positional.first());
            return std::nullopt;
        }
    }
    if (const QString wrong = options.check(); !wrong.isEmpty()) {
        *error = wrong;
        return std::nullopt;
    }
    return options;
}

QString AppOptions::dialTargetFromUri(const QString &uri)
{
    QString target;
    if (uri.startsWith(QLatin1String("softphone:"), Qt::CaseInsensitive))
        target = uri.mid(10);
    else if (uri.startsWith(QLatin1String("tel:"), Qt::CaseInsensitive))
        target = uri.mid(4);
    else
        return {};
    // softphone://bob and tel: numbers with visual separators ("+49 30-123").
    while (target.startsWith(QLatin1Char('/')))
        target.remove(0, 1);
    target = QUrl::fromPercentEncoding(target.toUtf8()).trimmed();
    if (uri.startsWith(QLatin1String("tel:"), Qt::CaseInsensitive))
        target.remove(QRegularExpression(QStringLiteral("[\\s().-]")));
    return target.section(QLatin1Char(';'), 0, 0).section(QLatin1Char('?'), 0, 0);
}

} // namespace softphone::app
