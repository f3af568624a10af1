#pragma once
// One entry of the OS keychain (Secret Service on Linux) read, written or
// removed, whoever does the work: InProcessKeychain (QtKeychain in this
// process) or ChildProcessKeychain (QtKeychain in a short-lived child process,
// app/softphone-keychain: the tray agent's way, so that the agent itself never
// maps libsecret, GLib or libgcrypt; docs/architecture.md "The tray agent").
// Entries are QtKeychain's (service + key). Its Secret Service backend stores
// text and binary data differently: read an entry in the mode it was written.
// Never a plain-text fallback: a secret is kept in the keychain or nowhere.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>

namespace softphone::keychain {

struct Request
{
    enum class Operation { Read, Write, Remove };
    Operation operation = Operation::Read;
    QString service;
    QString key;
    bool binary = false; // else text (data is its UTF-8)
    QByteArray data;     // Write: what to keep
};

struct Reply
{
    enum class Status { Ok, NotFound, Failed };
    Status status = Status::Failed;
    QByteArray data; // Ok on Read: the entry (text as UTF-8)
    QString message; // Failed: the keychain's reason, in its words
};

class Keychain
{
public:
    virtual ~Keychain() = default;
    using Done = std::function<void(const Reply &)>;
    // done runs exactly once, later (never inside run()), and only while
    // context lives, as connect() does.
    virtual void run(const Request &request, const QObject *context, Done done) = 0;
};

} // namespace softphone::keychain
