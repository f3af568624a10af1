// libFuzzer target: any bytes into the control-message decoder. It must never
// crash, and whatever it accepts must be accepted again after re-encoding.
#include "protocol/Message.h"

#include <QJsonDocument>
#include <cstdlib>

using namespace softphone::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = decodeFrame(frame);
    if (auto *message = std::get_if<Message>(&decoded)) {
        auto again = decodeFrame(toText(message->json).toUtf8());
        if (!std::holds_alternative<Message>(again) ||
            std::get<Message>(again).type != message->type)
            std::abort();
        (void)message->headers();
        (void)message->pairs();
        (void)message->recipients();
        // UDP media: what the service forwards is rebuilt from the parsed
        // fields, and must parse back to the same.
        if (const auto media = message->media()) {
            if (MediaDescription::fromJson(media->toJson()) != media)
                std::abort();
        }
    }
    return 0;
}
