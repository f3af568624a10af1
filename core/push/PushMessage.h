#pragma once
// One decrypted push as the application sees it. The push service deletes the
// message only after the application says what it did with it: accept() acks
// it (code 100), reject() nacks it (code 102). Until then a reconnect may bring
// it again; PushChannel hides such duplicates.

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <functional>
#include <memory>

namespace softphone::push {

class PushMessage
{
public:
    PushMessage() = default;
    // complete(accepted) is called at most once, by the first accept()/reject().
    PushMessage(QString subscription, QString channelId, QString version, QByteArray payload,
                std::function<void(bool accepted)> complete);

    QString subscription() const { return m_subscription; }
    QString channelId() const { return m_channelId; }
    QString version() const { return m_version; }
    QByteArray payload() const { return m_payload; }

    void accept() const;
    void reject() const;
    bool isCompleted() const;

private:
    struct Completion
    {
        std::function<void(bool)> fn;
        bool done = false;
    };
    QString m_subscription;
    QString m_channelId;
    QString m_version;
    QByteArray m_payload;
    std::shared_ptr<Completion> m_completion;
};

} // namespace softphone::push

Q_DECLARE_METATYPE(softphone::push::PushMessage)
