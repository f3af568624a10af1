#pragma once
// A PulseAudio playback or record stream of our own (libpulse's asynchronous
// API), for DeviceAudioIO. Qt 6.4's QAudioSink/QAudioSource run a libpulse
// thread per stream, read on a timer of their own and cannot set the
// fragment or request sizes; these streams run on the calling thread's GLib
// context, which Qt's GLib event dispatcher iterates (as libnice does in
// IceAgent): no thread, and one connection to the sound server per thread,
// shared by all its streams (docs/media.md "Device delay").
//
// Playback is pulled: the server asks for data whenever its queue is at
// least one request size (minreq) below the target length (tlength), and the
// `writable` callback writes it. Record delivers each fragment (fragsize) to
// the `readable` callback. Callbacks run on the stream's thread from its
// event loop; a stream may be destroyed inside one of its callbacks.

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

struct pa_stream;

namespace softphone::media {

class PulseConnection;

class PulseStream
{
public:
    enum class Direction { Playback, Record };
    struct Settings
    {
        Direction direction = Direction::Playback;
        QByteArray device; // the server's sink or source name; empty = its default
        int sampleRate = 48000;
        int channels = 1;   // signed 16-bit, native endian
        int targetMs = 30;  // playback: tlength (the whole latency, sink included)
        int requestMs = 10; // playback: minreq; record: fragsize
    };
    struct Callbacks
    {
        std::function<void()> writable; // playback: the server asks for data
        std::function<void()> readable; // record: a fragment is there
        std::function<void()> underflow;
        std::function<void(const QString &)> failed; // the stream is gone
    };

    // Connects at once when this thread's connection is up, else when it is.
    PulseStream(const Settings &settings, Callbacks callbacks);
    ~PulseStream();
    PulseStream(const PulseStream &) = delete;
    PulseStream &operator=(const PulseStream &) = delete;

    bool isReady() const;
    // Playback: what the server asked for and was not written yet (bytes).
    size_t writableBytes() const;
    // Playback: the server's target length as granted (bytes; 0 before ready).
    size_t targetBytes() const;
    bool write(const int16_t *samples, size_t count);
    // Playback: a new tlength; record: a new fragsize (period). Takes effect
    // on the server a round trip later.
    void setTargetMs(int ms);
    void setRequestMs(int ms);
    // Record: bytes waiting, and all of them appended to `out` (holes as
    // silence).
    size_t readableBytes() const;
    void readAll(std::vector<int16_t> &out);
    // Bytes of `ms` in this stream's format.
    size_t bytesFor(int ms) const;
    // The granted buffer sizes, for the log.
    QString describe() const;

private:
    void connectStream();
    void applyAttributes();
    static void onState(pa_stream *s, void *self);
    static void onWrite(pa_stream *s, size_t bytes, void *self);
    static void onRead(pa_stream *s, size_t bytes, void *self);
    static void onUnderflow(pa_stream *s, void *self);

    Settings m_settings;
    Callbacks m_callbacks;
    std::shared_ptr<PulseConnection> m_connection;
    pa_stream *m_stream = nullptr;
    bool m_reportedFailure = false;
    bool m_attributesPending = false;
    friend class PulseConnection;
};

} // namespace softphone::media
