#include "Codes.h"

#include <array>
#include <utility>

namespace softphone::protocol {

namespace {

template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &table,
                            const QString &name)
{
    for (const auto &[e, text] : table) {
        if (name == QLatin1StringView(text))
            return e;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<ErrorCode, const char *>, 12> kErrorCodes{{
    {ErrorCode::BadJson, "bad_json"},
    {ErrorCode::BadRequest, "bad_request"},
    {ErrorCode::UnknownType, "unknown_type"},
    {ErrorCode::NotAuthenticated, "not_authenticated"},
    {ErrorCode::Unauthorized, "unauthorized"},
    {ErrorCode::UnknownUser, "unknown_user"},
    {ErrorCode::NotFound, "not_found"},
    {ErrorCode::InvalidState, "invalid_state"},
    {ErrorCode::TooLarge, "too_large"},
    {ErrorCode::Capability, "capability"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::TooManyCalls, "too_many_calls"},
}};

constexpr std::array<std::pair<EndCause, const char *>, 7> kEndCauses{{
    {EndCause::Denied, "denied"},
    {EndCause::NoAnswer, "no_answer"},
    {EndCause::Canceled, "canceled"},
    {EndCause::HungUp, "hung_up"},
    {EndCause::Failure, "failure"},
    {EndCause::OtherDeviceAnswered, "other_device_answered"},
    {EndCause::Timeout, "timeout"},
}};

constexpr std::array<std::pair<MessageStatus, const char *>, 3> kMessageStatuses{{
    {MessageStatus::Sent, "sent"},
    {MessageStatus::Delivered, "delivered"},
    {MessageStatus::Failed, "failed"},
}};

} // namespace

QString errorCodeName(ErrorCode code)
{
    return nameOf(kErrorCodes, code);
}
std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    return valueOf(kErrorCodes, name);
}

QString endCauseName(EndCause cause)
{
    return nameOf(kEndCauses, cause);
}
std::optional<EndCause> endCauseFromName(const QString &name)
{
    return valueOf(kEndCauses, name);
}

QString messageStatusName(MessageStatus status)
{
    return nameOf(kMessageStatuses, status);
}
std::optional<MessageStatus> messageStatusFromName(const QString &name)
{
    return valueOf(kMessageStatuses, name);
}

QJsonObject CallError::toJson() const
{
    return {{QStringLiteral("domain"), domain},
            {QStringLiteral("code"), code},
            {QStringLiteral("message"), message}};
}

CallError CallError::fromJson(const QJsonObject &object)
{
    return {object.value(QLatin1StringView("domain")).toString(),
            object.value(QLatin1StringView("code")).toString(),
            object.value(QLatin1StringView("message")).toString()};
}

} // namespace softphone::protocol
