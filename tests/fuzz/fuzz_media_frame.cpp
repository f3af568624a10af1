// libFuzzer target: any bytes given to MediaFrame::decode are either refused
// or a frame that encodes back to exactly the same bytes.
#include "media/MediaFrame.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray wire =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto frame = softphone::media::MediaFrame::decode(wire, &error);
    if (frame && frame->encode() != wire)
        std::abort();
    if (!frame && error.isEmpty())
        std::abort();
    return 0;
}
