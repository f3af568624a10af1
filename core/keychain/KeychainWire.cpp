#include "KeychainWire.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace softphone::keychain::wire {

namespace {

constexpr std::pair<Request::Operation, QLatin1StringView> kOperations[] = {
    {Request::Operation::Read, QLatin1StringView("read")},
    {Request::Operation::Write, QLatin1StringView("write")},
    {Request::Operation::Remove, QLatin1StringView("remove")},
};
constexpr std::pair<Reply::Status, QLatin1StringView> kStatuses[] = {
    {Reply::Status::Ok, QLatin1StringView("ok")},
    {Reply::Status::NotFound, QLatin1StringView("not_found")},
    {Reply::Status::Failed, QLatin1StringView("failed")},
};

template<typename Value, std::size_t N>
QLatin1StringView nameOf(const std::pair<Value, QLatin1StringView> (&names)[N], Value value)
{
    for (const auto &[v, name] : names)
        if (v == value)
            return name;
    return {};
}

template<typename Value, std::size_t N>
std::optional<Value> valueOf(const std::pair<Value, QLatin1StringView> (&names)[N],
                             const QString &name)
{
    for (const auto &[v, n] : names)
        if (n == name)
            return v;
    return std::nullopt;
}

QByteArray lineOf(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// The object of one line with its id, or nullopt with the reason.
std::optional<QJsonObject> objectOf(const QByteArray &line, quint64 *id, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (line.size() > kMaxLine)
        return fail(QStringLiteral("line longer than %1 bytes").arg(kMaxLine));
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parse);
    if (!document.isObject())
        return fail(QStringLiteral("not a JSON object: %1").arg(parse.errorString()));
    const QJsonObject object = document.object();
    const double number = object.value(QLatin1String("id")).toDouble(-1);
    if (number < 1 || number > 9007199254740991.0 || number != quint64(number))
        return fail(QStringLiteral("no valid id"));
    *id = quint64(number);
    return object;
}

std::optional<QByteArray> dataOf(const QJsonObject &object)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(object.value(QLatin1String("data")).toString().toLatin1(),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace

QByteArray encodeRequest(quint64 id, const Request &request)
{
    QJsonObject object{{QLatin1String("id"), double(id)},
                       {QLatin1String("op"), nameOf(kOperations, request.operation)},
                       {QLatin1String("service"), request.service},
                       {QLatin1String("key"), request.key},
                       {QLatin1String("binary"), request.binary}};
    if (request.operation == Request::Operation::Write)
        object.insert(QLatin1String("data"), QString::fromLatin1(request.data.toBase64()));
    return lineOf(object);
}

std::optional<Request> decodeRequest(const QByteArray &line, quint64 *id, QString *error)
{
    const auto object = objectOf(line, id, error);
    if (!object)
        return std::nullopt;
    Request request;
    const auto operation = valueOf(kOperations, object->value(QLatin1String("op")).toString());
    const auto data = dataOf(*object);
    request.service = object->value(QLatin1String("service")).toString();
    request.key = object->value(QLatin1String("key")).toString();
    request.binary = object->value(QLatin1String("binary")).toBool();
    if (!operation || !data || request.service.isEmpty() || request.key.isEmpty()) {
        if (error)
            *error = QStringLiteral("request %1: needs op (read, write, remove), service, key "
                                    "and base64 data")
                         .arg(*id);
        return std::nullopt;
    }
    request.operation = *operation;
    request.data = *data;
    return request;
}

QByteArray encodeReply(quint64 id, const Reply &reply)
{
    QJsonObject object{{QLatin1String("id"), double(id)},
                       {QLatin1String("status"), nameOf(kStatuses, reply.status)}};
    if (!reply.data.isEmpty())
        object.insert(QLatin1String("data"), QString::fromLatin1(reply.data.toBase64()));
    if (!reply.message.isEmpty())
        object.insert(QLatin1String("message"), reply.message);
    return lineOf(object);
}

std::optional<Reply> decodeReply(const QByteArray &line, quint64 *id, QString *error)
{
    const auto object = objectOf(line, id, error);
    if (!object)
        return std::nullopt;
    const auto status = valueOf(kStatuses, object->value(QLatin1String("status")).toString());
    const auto data = dataOf(*object);
    if (!status || !data) {
        if (error)
            *error = QStringLiteral("reply %1: needs a status (ok, not_found, failed) and base64 "
                                    "data")
                         .arg(*id);
        return std::nullopt;
    }
    Reply reply;
    reply.status = *status;
    reply.data = *data;
    reply.message = object->value(QLatin1String("message")).toString();
    return reply;
}

bool takeLines(QByteArray &buffer, QList<QByteArray> *lines)
{
    qsizetype start = 0;
    for (qsizetype end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n', start)) {
        lines->append(buffer.mid(start, end - start));
        start = end + 1;
    }
    buffer.remove(0, start);
    return buffer.size() <= kMaxLine;
}

} // namespace softphone::keychain::wire
