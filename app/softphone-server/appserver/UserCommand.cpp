#include "UserCommand.h"

#include "SqlAccountStore.h"
#include "crypto/PasswordHash.h"
#include "protocol/FieldValidators.h"

#include <QDir>

namespace softphone::server::appserver {

int runUserCommand(const QStringList &args, const ServerOptions &options, QTextStream &input,
                   QTextStream &out, QTextStream &err)
{
    const QString verb = args.value(0);
    const bool needsName =
        verb == u"add" || verb == u"remove" || verb == u"disable" || verb == u"enable";
    if ((verb != u"list" && !needsName) || args.size() != (needsName ? 2 : 1)) {
        err << "usage: softphone-server user add NAME (password on stdin) | user list | user "
               "remove NAME | user disable NAME | user enable NAME  [--data-dir DIR] [--database "
               "URL]\n";
        return 2;
    }
    const QString name = args.value(1);
    if (needsName && !protocol::isValidUserId(name)) {
        err << "'" << name << "' is not a valid user id (1-255 of A-Z a-z 0-9 . _ ~ -)\n";
        return 2;
    }
    QDir().mkpath(options.dataDir);
    SqlAccountStore store;
    QString error;
    const auto where = SqlDatabase::forStore(options, QStringLiteral("accounts"), &error);
    if (!where || !store.open(*where, &error)) {
        err << error << "\n";
        return 1;
    }
    if (verb == u"list") {
        for (const QString &user : store.users())
            out << user << "\n";
        return 0;
    }
    if (verb == u"remove" || verb == u"disable" || verb == u"enable") {
        // remove and disable revoke the user's tokens; a running server ends
        // their sessions within a second (it polls the store's revocations).
        const bool done = verb == u"remove"    ? store.removeUser(name, &error)
                          : verb == u"disable" ? store.disableUser(name, &error)
                                               : store.enableUser(name, &error);
        if (!done) {
            err << error << "\n";
            return 1;
        }
        out << verb << "d " << name << "\n"; // removed, disabled, enabled
        return 0;
    }
    QString password = input.readLine();
    if (password.isEmpty()) {
        err << "no password: give it on the first line of stdin\n";
        return 2;
    }
    if (const QString weak = weakPasswordReason(name, password); !weak.isEmpty()) {
        err << "refused: " << weak << "; choose at least " << kMinPasswordLength
            << " characters that are not the user name\n";
        return 2;
    }
    if (password.toUtf8().size() > 1024) {
        err << "the password is over 1024 bytes\n";
        return 2;
    }
    if (!store.addUser(name, crypto::hashPassword(password.toUtf8(), passwordCost(options)),
                       &error)) {
        err << error << "\n";
        return 1;
    }
    out << "added " << name << "\n";
    return 0;
}

} // namespace softphone::server::appserver
