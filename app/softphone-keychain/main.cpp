// softphone-keychain: the tray agent's keychain helper, not a program for users.
// softphone-tray (core/keychain/ChildProcessKeychain) starts it when it needs
// the keychain: requests come as lines on stdin, replies go as lines to stdout
// (core/keychain/KeychainWire.h), each done with QtKeychain in this process
// (InProcessKeychain). When stdin ends it finishes what it was asked and exits,
// taking libsecret, GLib and their GDBus thread with it. Started by hand (no
// pipe on stdin, or any argument) it says what it is and exits.
#include "common/Version.h"
#include "keychain/InProcessKeychain.h"
#include "keychain/KeychainWire.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace keychain = softphone::keychain;

namespace {

bool writeAll(const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes.constData() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 || ::isatty(STDIN_FILENO)) {
        std::fprintf(stderr,
                     "softphone-keychain %s: the keychain helper of softphone-tray, which starts "
                     "it; it takes requests on a pipe, not arguments.\n",
                     softphone::kVersion);
        return 2;
    }
    QCoreApplication app(argc, argv);
    // As the agent names itself: the keychain sees the same application.
    softphone::nameDesktopApplication();
    keychain::InProcessKeychain store;
    ::fcntl(STDIN_FILENO, F_SETFL, ::fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray buffer;
    int running = 0;
    bool inputEnded = false;
    bool refused = false;
    const auto finishWhenDone = [&] {
        if (inputEnded && running == 0 && !refused)
            QCoreApplication::exit(0);
    };
    const auto refuse = [&](const QString &why) {
        std::fprintf(stderr, "softphone-keychain: %s\n", qPrintable(why));
        refused = true;
        QCoreApplication::exit(2);
    };
    // Each complete line is one request, done at once (QtKeychain queues its jobs).
    const auto take = [&]() -> bool {
        QList<QByteArray> lines;
        if (!keychain::wire::takeLines(buffer, &lines)) {
            refuse(QStringLiteral("a request longer than %1 bytes").arg(keychain::wire::kMaxLine));
            return false;
        }
        for (const QByteArray &line : lines) {
            quint64 id = 0;
            QString error;
            const auto request = keychain::wire::decodeRequest(line, &id, &error);
            if (!request) {
                refuse(error);
                return false;
            }
            ++running;
            store.run(*request, &app, [&, id](const keychain::Reply &reply) {
                --running;
                if (!writeAll(keychain::wire::encodeReply(id, reply)))
                    return refuse(QStringLiteral("the agent's pipe is gone"));
                finishWhenDone();
            });
        }
        return true;
    };
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char chunk[4096];
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                if (n == 0) { // the agent closed our stdin (or died): finish and exit
                    inputEnded = true;
                    input.setEnabled(false);
                }
                break; // else EAGAIN: all there is for now
            }
            buffer.append(chunk, n);
            if (!take()) {
                input.setEnabled(false);
                return;
            }
        }
        finishWhenDone();
    });
    return QCoreApplication::exec();
}
