#pragma once
// softphone-cli's audio options for call, answer and listen: --audio-in
// FILE.wav (the voice sent: the file, then silence) and --audio-out FILE.wav
// (what the call hears, written as it plays and completed when the call ends).
// Without them the CLI sends silence and discards what it hears: it opens no
// sound device. When the call ends a {"event":"media",...} line gives its
// CallQuality (loss, FEC recovered, concealed...).

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <memory>

namespace softphone::client {
class AudioSink;
class Call;
class WavFileSource;
} // namespace softphone::client

namespace softphone::cli {

class CallAudio : public std::enable_shared_from_this<CallAudio>
{
public:
    static QList<QCommandLineOption> options();
    // Reads --audio-in and creates --audio-out now, so a bad file is a usage
    // error before anything else happens. Empty string when fine.
    QString prepare(const QCommandLineParser &parser);

    // Gives the call its audio (holds this object while the call lives) when it is established (the
    // output file goes to the first call only) and prints the media line when it ends.
    void attach(client::Call *call);

private:
    std::shared_ptr<client::WavFileSource> m_source;
    std::shared_ptr<client::AudioSink> m_sink;
};

} // namespace softphone::cli
