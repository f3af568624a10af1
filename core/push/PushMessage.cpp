#include "PushMessage.h"

namespace softphone::push {

PushMessage::PushMessage(QString subscription, QString channelId, QString version,
                         QByteArray payload, std::function<void(bool accepted)> complete)
    : m_subscription(std::move(subscription))
    , m_channelId(std::move(channelId))
    , m_version(std::move(version))
    , m_payload(std::move(payload))
    , m_completion(std::make_shared<Completion>(Completion{std::move(complete), false}))
{}

void PushMessage::accept() const
{
    if (!m_completion || m_completion->done)
        return;
    m_completion->done = true;
    if (m_completion->fn)
        m_completion->fn(true);
}

void PushMessage::reject() const
{
    if (!m_completion || m_completion->done)
        return;
    m_completion->done = true;
    if (m_completion->fn)
        m_completion->fn(false);
}

bool PushMessage::isCompleted() const
{
    return m_completion && m_completion->done;
}

} // namespace softphone::push
