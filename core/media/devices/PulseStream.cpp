#include "PulseStream.h"

#include "common/Logging.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <glib.h>
#include <pulse/context.h>
#include <pulse/error.h>
#include <pulse/glib-mainloop.h>
#include <pulse/stream.h>

namespace softphone::media {

namespace {
// Inside a libpulse callback: the connection (and its GLib sources) must not
// be freed there, so its last release is deferred to the event loop.
thread_local int t_inCallback = 0;
struct CallbackScope
{
    CallbackScope() { ++t_inCallback; }
    ~CallbackScope() { --t_inCallback; }
    CallbackScope(const CallbackScope &) = delete;
    CallbackScope &operator=(const CallbackScope &) = delete;
};
} // namespace

// One connection to the sound server per thread, shared by its streams.
class PulseConnection
{
public:
    static std::shared_ptr<PulseConnection> forThisThread();
    ~PulseConnection();

    pa_context *context() const { return m_context; }
    bool isReady() const
    {
        return m_context && pa_context_get_state(m_context) == PA_CONTEXT_READY;
    }
    void add(PulseStream *stream) { m_streams.push_back(stream); }
    void remove(PulseStream *stream) { std::erase(m_streams, stream); }
    QString error() const
    {
        return m_context ? QString::fromUtf8(pa_strerror(pa_context_errno(m_context)))
                         : QStringLiteral("no connection to the sound server");
    }

private:
    PulseConnection() = default;
    static void onState(pa_context *c, void *self);

    pa_glib_mainloop *m_loop = nullptr;
    pa_context *m_context = nullptr;
    std::vector<PulseStream *> m_streams;
};

namespace {
thread_local std::weak_ptr<PulseConnection> t_connection;
} // namespace

std::shared_ptr<PulseConnection> PulseConnection::forThisThread()
{
    if (auto existing = t_connection.lock()) {
        const pa_context_state_t state =
            existing->m_context ? pa_context_get_state(existing->m_context) : PA_CONTEXT_FAILED;
        if (state != PA_CONTEXT_FAILED && state != PA_CONTEXT_TERMINATED)
            return existing;
    }
    std::shared_ptr<PulseConnection> made(new PulseConnection, [](PulseConnection *c) {
        if (t_inCallback > 0)
            QTimer::singleShot(0, [c] { delete c; });
        else
            delete c;
    });
    t_connection = made;
    // The streams' events are GLib sources on this thread's context, which
    // Qt's GLib dispatcher iterates (the global default on the main thread).
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (!dispatcher || !dispatcher->inherits("QEventDispatcherGlib")) {
        qCWarning(lcMedia) << "sound devices need Qt's GLib event dispatcher on their thread";
        return made;
    }
    GMainContext *glibContext = g_main_context_ref_thread_default();
    made->m_loop = pa_glib_mainloop_new(glibContext);
    g_main_context_unref(glibContext); // the loop keeps its own reference
    QByteArray name = QCoreApplication::applicationName().toUtf8();
    if (name.isEmpty())
        name = "softphone";
    made->m_context = pa_context_new(pa_glib_mainloop_get_api(made->m_loop), name.constData());
    if (!made->m_context)
        return made;
    pa_context_set_state_callback(made->m_context, &PulseConnection::onState, made.get());
    if (pa_context_connect(made->m_context, nullptr, PA_CONTEXT_NOFLAGS, nullptr) < 0)
        qCWarning(lcMedia) << "cannot connect to the sound server:" << made->error();
    return made;
}

PulseConnection::~PulseConnection()
{
    if (m_context) {
        pa_context_set_state_callback(m_context, nullptr, nullptr);
        pa_context_disconnect(m_context);
        pa_context_unref(m_context);
    }
    if (m_loop)
        pa_glib_mainloop_free(m_loop);
}

void PulseConnection::onState(pa_context *c, void *self)
{
    CallbackScope scope;
    auto *me = static_cast<PulseConnection *>(self);
    const pa_context_state_t state = pa_context_get_state(c);
    if (state != PA_CONTEXT_READY && state != PA_CONTEXT_FAILED && state != PA_CONTEXT_TERMINATED)
        return;
    if (state != PA_CONTEXT_READY)
        qCWarning(lcMedia) << "connection to the sound server lost:" << me->error();
    // A stream may go (or another come) in a callback: each is looked up again.
    const std::vector<PulseStream *> streams = me->m_streams;
    for (PulseStream *stream : streams) {
        if (std::find(me->m_streams.begin(), me->m_streams.end(), stream) == me->m_streams.end())
            continue;
        if (state == PA_CONTEXT_READY) {
            stream->connectStream();
        } else if (!stream->m_reportedFailure) {
            stream->m_reportedFailure = true;
            if (stream->m_callbacks.failed)
                stream->m_callbacks.failed(me->error());
        }
    }
}

PulseStream::PulseStream(const Settings &settings, Callbacks callbacks)
    : m_settings(settings)
    , m_callbacks(std::move(callbacks))
    , m_connection(PulseConnection::forThisThread())
{
    m_connection->add(this);
    if (m_connection->isReady())
        connectStream();
}

PulseStream::~PulseStream()
{
    if (m_stream) {
        pa_stream_set_state_callback(m_stream, nullptr, nullptr);
        pa_stream_set_write_callback(m_stream, nullptr, nullptr);
        pa_stream_set_read_callback(m_stream, nullptr, nullptr);
        pa_stream_set_underflow_callback(m_stream, nullptr, nullptr);
        if (PA_STREAM_IS_GOOD(pa_stream_get_state(m_stream)))
            pa_stream_disconnect(m_stream);
        pa_stream_unref(m_stream);
    }
    m_connection->remove(this);
}

size_t PulseStream::bytesFor(int ms) const
{
    return size_t(m_settings.sampleRate) * size_t(m_settings.channels) * 2 * size_t(ms) / 1000;
}

void PulseStream::connectStream()
{
    if (m_stream)
        return;
    const pa_sample_spec spec{PA_SAMPLE_S16NE, uint32_t(m_settings.sampleRate),
                              uint8_t(m_settings.channels)};
    pa_channel_map map;
    pa_channel_map_init_extend(&map, spec.channels, PA_CHANNEL_MAP_DEFAULT);
    const bool playback = m_settings.direction == Direction::Playback;
    m_stream =
        pa_stream_new(m_connection->context(), playback ? "voice out" : "voice in", &spec, &map);
    if (!m_stream) {
        qCWarning(lcMedia) << "cannot make a sound stream:" << m_connection->error();
        return;
    }
    pa_stream_set_state_callback(m_stream, &PulseStream::onState, this);
    pa_buffer_attr attr;
    attr.maxlength = uint32_t(-1);
    attr.tlength = attr.prebuf = attr.minreq = attr.fragsize = uint32_t(-1);
    // ADJUST_LATENCY: tlength is the whole playback latency (the server
    // sizes the sink's buffer from it), fragsize the source's period.
    const auto flags = pa_stream_flags_t(PA_STREAM_ADJUST_LATENCY);
    const QByteArray device = m_settings.device;
    const char *name = device.isEmpty() ? nullptr : device.constData();
    int result = 0;
    if (playback) {
        attr.tlength = uint32_t(bytesFor(m_settings.targetMs));
        attr.minreq = uint32_t(bytesFor(m_settings.requestMs));
        pa_stream_set_write_callback(m_stream, &PulseStream::onWrite, this);
        pa_stream_set_underflow_callback(m_stream, &PulseStream::onUnderflow, this);
        result = pa_stream_connect_playback(m_stream, name, &attr, flags, nullptr, nullptr);
    } else {
        attr.fragsize = uint32_t(bytesFor(m_settings.requestMs));
        pa_stream_set_read_callback(m_stream, &PulseStream::onRead, this);
        result = pa_stream_connect_record(m_stream, name, &attr, flags);
    }
    if (result < 0)
        qCWarning(lcMedia) << "cannot open the sound stream on" << device << ":"
                           << m_connection->error();
}

bool PulseStream::isReady() const
{
    return m_stream && pa_stream_get_state(m_stream) == PA_STREAM_READY;
}

size_t PulseStream::writableBytes() const
{
    if (!isReady())
        return 0;
    const size_t n = pa_stream_writable_size(m_stream);
    return n == size_t(-1) ? 0 : n;
}

size_t PulseStream::targetBytes() const
{
    if (!isReady())
        return 0;
    const pa_buffer_attr *attr = pa_stream_get_buffer_attr(m_stream);
    return attr ? attr->tlength : 0;
}

bool PulseStream::write(const int16_t *samples, size_t count)
{
    if (!isReady())
        return false;
    return pa_stream_write(m_stream, samples, count * sizeof(int16_t), nullptr, 0,
                           PA_SEEK_RELATIVE) == 0;
}

void PulseStream::setTargetMs(int ms)
{
    m_settings.targetMs = ms;
    applyAttributes();
}

void PulseStream::setRequestMs(int ms)
{
    m_settings.requestMs = ms;
    applyAttributes();
}

void PulseStream::applyAttributes()
{
    if (!isReady()) {
        m_attributesPending = m_stream != nullptr; // else used when the stream connects
        return;
    }
    m_attributesPending = false;
    pa_buffer_attr attr = *pa_stream_get_buffer_attr(m_stream);
    if (m_settings.direction == Direction::Playback) {
        attr.tlength = uint32_t(bytesFor(m_settings.targetMs));
        attr.minreq = uint32_t(bytesFor(m_settings.requestMs));
        attr.prebuf = uint32_t(-1);
    } else {
        attr.fragsize = uint32_t(bytesFor(m_settings.requestMs));
    }
    attr.maxlength = uint32_t(-1);
    if (pa_operation *op = pa_stream_set_buffer_attr(m_stream, &attr, nullptr, nullptr))
        pa_operation_unref(op);
}

size_t PulseStream::readableBytes() const
{
    if (!isReady())
        return 0;
    const size_t n = pa_stream_readable_size(m_stream);
    return n == size_t(-1) ? 0 : n;
}

void PulseStream::readAll(std::vector<int16_t> &out)
{
    if (!isReady())
        return;
    // Bounded: the server's buffer (maxlength) holds a few seconds at most.
    for (int n = 0; n < 1000; ++n) {
        const void *data = nullptr;
        size_t bytes = 0;
        if (pa_stream_peek(m_stream, &data, &bytes) < 0 || bytes == 0)
            return;
        const auto *samples = static_cast<const int16_t *>(data);
        const size_t count = bytes / sizeof(int16_t);
        if (samples)
            out.insert(out.end(), samples, samples + count);
        else
            out.insert(out.end(), count, int16_t(0)); // a hole: silence
        pa_stream_drop(m_stream);
    }
}

QString PulseStream::describe() const
{
    if (!isReady())
        return QStringLiteral("not connected");
    const pa_buffer_attr *a = pa_stream_get_buffer_attr(m_stream);
    const auto ms = [this](uint32_t bytes) {
        return double(bytes) * 1000.0 / double(bytesFor(1000));
    };
    return m_settings.direction == Direction::Playback
               ? QStringLiteral("tlength %1 ms, minreq %2 ms, prebuf %3 ms on %4")
                     .arg(ms(a->tlength))
                     .arg(ms(a->minreq))
                     .arg(ms(a->prebuf))
                     .arg(QString::fromUtf8(pa_stream_get_device_name(m_stream)))
               : QStringLiteral("fragsize %1 ms on %2")
                     .arg(ms(a->fragsize))
                     .arg(QString::fromUtf8(pa_stream_get_device_name(m_stream)));
}

void PulseStream::onState(pa_stream *s, void *self)
{
    CallbackScope scope;
    auto *me = static_cast<PulseStream *>(self);
    switch (pa_stream_get_state(s)) {
    case PA_STREAM_READY:
        qCInfo(lcMedia) << "sound stream ready:" << me->describe();
        if (me->m_attributesPending) // a size asked for while connecting
            me->applyAttributes();
        return;
    case PA_STREAM_FAILED:
    case PA_STREAM_TERMINATED:
        if (me->m_reportedFailure)
            return;
        me->m_reportedFailure = true;
        if (me->m_callbacks.failed)
            me->m_callbacks.failed(me->m_connection->error());
        return;
    default:
        return;
    }
}

void PulseStream::onWrite(pa_stream *, size_t, void *self)
{
    CallbackScope scope;
    auto *me = static_cast<PulseStream *>(self);
    if (me->m_callbacks.writable)
        me->m_callbacks.writable();
}

void PulseStream::onRead(pa_stream *, size_t, void *self)
{
    CallbackScope scope;
    auto *me = static_cast<PulseStream *>(self);
    if (me->m_callbacks.readable)
        me->m_callbacks.readable();
}

void PulseStream::onUnderflow(pa_stream *, void *self)
{
    CallbackScope scope;
    auto *me = static_cast<PulseStream *>(self);
    if (me->m_callbacks.underflow)
        me->m_callbacks.underflow();
}

} // namespace softphone::media
