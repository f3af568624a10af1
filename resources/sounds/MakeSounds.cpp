// softphone-make-sounds DIR: writes the softphone's own sounds (ringtone,
// ringback, call ended) as 48 kHz mono WAV files, rendered once from
// ToneGenerator so the files and the in-call tones are the same sounds.

#include "media/ToneGenerator.h"
#include "media/WavFile.h"

#include <QDir>
#include <cstdio>

using namespace softphone::media;

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: softphone-make-sounds OUTPUT_DIR\n");
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[1]));
    const struct
    {
        const char *name;
        ToneGenerator tone;
    } sounds[] = {{"ringtone.wav", ToneGenerator::ringtone()},
                  {"ringback.wav", ToneGenerator::ringback()},
                  {"call-ended.wav", ToneGenerator::callEnded()}};
    for (const auto &sound : sounds) {
        ToneGenerator tone = sound.tone;
        WavAudio audio{48000, 1, tone.renderOnce()};
        QString error;
        if (!WavFile::write(dir.filePath(QLatin1StringView(sound.name)), audio, &error)) {
            std::fprintf(stderr, "softphone-make-sounds: %s\n", qPrintable(error));
            return 1;
        }
    }
    return 0;
}
