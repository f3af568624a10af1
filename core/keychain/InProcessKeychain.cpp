#include "InProcessKeychain.h"

#include <qt6keychain/keychain.h>

namespace softphone::keychain {

InProcessKeychain::InProcessKeychain(QObject *parent)
    : QObject(parent)
{}

void InProcessKeychain::run(const Request &request, const QObject *context, Done done)
{
    Q_ASSERT(context);
    QKeychain::Job *job = nullptr;
    switch (request.operation) {
    case Request::Operation::Read:
        job = new QKeychain::ReadPasswordJob(request.service, this);
        break;
    case Request::Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(request.service, this);
        if (request.binary)
            write->setBinaryData(request.data);
        else
            write->setTextData(QString::fromUtf8(request.data));
        job = write;
        break;
    }
    case Request::Operation::Remove:
        job = new QKeychain::DeletePasswordJob(request.service, this);
        break;
    }
    job->setKey(request.key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    const bool read = request.operation == Request::Operation::Read;
    const bool binary = request.binary;
    connect(job, &QKeychain::Job::finished, context,
            [read, binary, done = std::move(done)](QKeychain::Job *j) {
                Reply reply;
                switch (j->error()) {
                case QKeychain::NoError:
                    reply.status = Reply::Status::Ok;
                    break;
                case QKeychain::EntryNotFound:
                    reply.status = Reply::Status::NotFound;
                    break;
                default:
                    reply.status = Reply::Status::Failed;
                    reply.message = j->errorString();
                    break;
                }
                if (read && reply.status == Reply::Status::Ok) {
                    const auto *readJob = static_cast<const QKeychain::ReadPasswordJob *>(j);
                    reply.data = binary ? readJob->binaryData() : readJob->textData().toUtf8();
                }
                done(reply);
            });
    job->start();
}

} // namespace softphone::keychain
