// libFuzzer: WavFile::parse on arbitrary bytes (the CLI reads any file a user
// names with --audio-in). It must never crash, and what it accepts must be
// consistent: whole frames of the channel count it reports, at a sane rate.
#include "media/WavFile.h"

#include <cstddef>
#include <cstdint>

using namespace softphone::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto audio = WavFile::parse(bytes, &error);
    if (!audio && error.isEmpty())
        __builtin_trap(); // a refusal always says why
    if (audio && (audio->channels < 1 || audio->sampleRate <= 0 ||
                  audio->samples.size() % size_t(audio->channels) != 0 ||
                  audio->samples.size() * sizeof(int16_t) > size_t(size)))
        __builtin_trap();
    return 0;
}
