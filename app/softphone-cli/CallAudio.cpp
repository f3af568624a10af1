#include "CallAudio.h"

#include "CliSession.h"
#include "client/Call.h"
#include "client/WavFileSink.h"
#include "client/WavFileSource.h"
#include "client/devices/DeviceAudioSink.h"
#include "client/devices/DeviceAudioSource.h"
#include "media/devices/AudioDevices.h"
#include "media/devices/DeviceAudioIO.h"

#include <QAudioDevice>
#include <QJsonObject>
#include <optional>

namespace softphone::cli {

using namespace client;
using media::AudioDevices;
using media::DeviceAudioIO;

namespace {
const QCommandLineOption
    kAudioIn(QStringLiteral("audio-in"),
             QStringLiteral("call, answer, listen: send the voice in this 16-bit PCM WAV file "
                            "(any rate, mono/stereo), then silence, instead of the microphone"),
             QStringLiteral("FILE.wav"));
const QCommandLineOption
    kAudioOut(QStringLiteral("audio-out"),
              QStringLiteral("call, answer, listen: write what the call hears to this WAV "
                             "file (48 kHz mono; the first call only) instead of the speaker"),
              QStringLiteral("FILE.wav"));
const QCommandLineOption
    kInputDevice(QStringLiteral("input-device"),
                 QStringLiteral("call, answer, listen: the microphone, by id or description "
                                "(default: the system's; see audio-devices)"),
                 QStringLiteral("NAME"));
const QCommandLineOption
    kOutputDevice(QStringLiteral("output-device"),
                  QStringLiteral("call, answer, listen: the speaker, by id or description "
                                 "(default: the system's; see audio-devices)"),
                  QStringLiteral("NAME"));
const QCommandLineOption
    kNoAudio(QStringLiteral("no-audio"),
             QStringLiteral("call, answer, listen: open no sound device (send silence, discard "
                            "what is heard, unless --audio-in/--audio-out say otherwise)"));

const QCommandLineOption kNoAudioProcessing(
    QStringLiteral("no-audio-processing"),
    QStringLiteral("call, answer, listen: send the microphone as it is, without echo "
                   "cancellation, noise suppression or gain control (a headset, or a microphone "
                   "the sound server already cleans): less CPU per call"));

const QCommandLineOption
    kQualityEvents(QStringLiteral("quality-events"),
                   QStringLiteral("call, answer, listen: print the call's quality (loss, "
                                  "jitter, the delay of each audio stage) once a second as "
                                  "{\"event\":\"quality\"} lines"));

QString roleName(AudioDevices::Role role)
{
    return role == AudioDevices::Role::Input ? QStringLiteral("input") : QStringLiteral("output");
}

// The devices present now, without the "System default" entry.
QList<AudioDevices::Entry> presentDevices(AudioDevices::Role role)
{
    QList<AudioDevices::Entry> list = AudioDevices().devices(role);
    list.removeIf([](const AudioDevices::Entry &e) { return e.id.isEmpty() || !e.available; });
    return list;
}

// The device id for a name the user typed: an id, else a description (any case).
std::optional<QByteArray> findDevice(AudioDevices::Role role, const QString &name)
{
    const QList<AudioDevices::Entry> all = presentDevices(role);
    for (const AudioDevices::Entry &d : all)
        if (d.id == name.toUtf8())
            return d.id;
    for (const AudioDevices::Entry &d : all)
        if (d.description.compare(name, Qt::CaseInsensitive) == 0)
            return d.id;
    return std::nullopt;
}

QString descriptionOf(AudioDevices::Role role, const QByteArray &id)
{
    bool found = false;
    const QAudioDevice device = AudioDevices::resolve(role, id, &found);
    return found && !device.isNull() ? device.description() : QString();
}

QJsonObject deviceJson(AudioDevices::Role role, const QByteArray &chosen, const QByteArray &inUse)
{
    return {{"type", "device"},
            {"id", QString::fromUtf8(inUse)},
            {"description", descriptionOf(role, inUse)},
            {"chosen", chosen.isEmpty() ? QStringLiteral("default") : QString::fromUtf8(chosen)},
            {"fallback", !chosen.isEmpty() && inUse != chosen}};
}

// Reports what a call's device does from now on: the device in use changing
// (a fallback, a return, a new system default) and the lack of any device.
void followDevice(Call *call, DeviceAudioIO *io, AudioDevices::Role role, const QByteArray &chosen)
{
    const auto inUse = [io, role] {
        return role == AudioDevices::Role::Input ? io->inputDeviceId() : io->outputDeviceId();
    };
    const auto changed = [call, role, chosen, inUse] {
        QJsonObject event = CliSession::callJson(QStringLiteral("audio_changed"), call);
        event.insert(QLatin1StringView("role"), roleName(role));
        const QJsonObject device = deviceJson(role, chosen, inUse());
        for (auto it = device.begin(); it != device.end(); ++it)
            event.insert(it.key(), it.value());
        CliSession::printEvent(event);
    };
    if (role == AudioDevices::Role::Input)
        QObject::connect(io, &DeviceAudioIO::inputDeviceChanged, call, changed);
    else
        QObject::connect(io, &DeviceAudioIO::outputDeviceChanged, call, changed);
    QObject::connect(io, &DeviceAudioIO::errorOccurred, call, [call](const QString &message) {
        QJsonObject event = CliSession::callJson(QStringLiteral("audio_error"), call);
        event.insert(QLatin1StringView("message"), message);
        CliSession::printEvent(event);
    });
}

} // namespace

QList<QCommandLineOption> CallAudio::options()
{
    return {kAudioIn, kAudioOut,      kInputDevice,      kOutputDevice,
            kNoAudio, kQualityEvents, kNoAudioProcessing};
}

QString CallAudio::prepare(const QCommandLineParser &parser)
{
    const bool noAudio = parser.isSet(kNoAudio);
    for (const auto &[device, file] :
         {std::pair{&kInputDevice, &kAudioIn}, std::pair{&kOutputDevice, &kAudioOut}}) {
        if (!parser.isSet(*device))
            continue;
        if (noAudio)
            return QStringLiteral("--%1 and --no-audio exclude each other")
                .arg(device->names().first());
        if (parser.isSet(*file))
            return QStringLiteral("--%1 and --%2 exclude each other")
                .arg(device->names().first(), file->names().first());
    }
    m_devices = !noAudio;
    m_qualityEvents = parser.isSet(kQualityEvents);
    m_processing = !parser.isSet(kNoAudioProcessing);
    if (parser.isSet(kInputDevice)) {
        const auto id = findDevice(AudioDevices::Role::Input, parser.value(kInputDevice));
        if (!id)
            return QStringLiteral("--input-device: no microphone '%1' (softphone-cli "
                                  "audio-devices lists them)")
                .arg(parser.value(kInputDevice));
        m_inputDevice = *id;
    }
    if (parser.isSet(kOutputDevice)) {
        const auto id = findDevice(AudioDevices::Role::Output, parser.value(kOutputDevice));
        if (!id)
            return QStringLiteral("--output-device: no speaker '%1' (softphone-cli "
                                  "audio-devices lists them)")
                .arg(parser.value(kOutputDevice));
        m_outputDevice = *id;
    }
    QString error;
    if (parser.isSet(kAudioIn)) {
        m_inPath = parser.value(kAudioIn);
        m_fileSource = WavFileSource::open(m_inPath, &error);
        if (!m_fileSource)
            return QStringLiteral("--audio-in: %1").arg(error);
    }
    if (parser.isSet(kAudioOut)) {
        m_outPath = parser.value(kAudioOut);
        m_fileSink = WavFileSink::open(m_outPath, &error);
        if (!m_fileSink)
            return QStringLiteral("--audio-out: %1").arg(error);
    }
    return {};
}

void CallAudio::attach(Call *call)
{
    if (m_qualityEvents)
        QObject::connect(call, &Call::qualityChanged, call, [call] {
            if (call->state() != CallState::Established)
                return;
            QJsonObject event = CliSession::callJson(QStringLiteral("quality"), call);
            event.insert(QLatin1StringView("quality"),
                         QJsonObject::fromVariantMap(call->qualityMap()));
            CliSession::printEvent(event);
        });
    QObject::connect(call, &Call::stateChanged, call,
                     [self = shared_from_this(), call](CallState state) {
                         if (state == CallState::Established && call->media()) {
                             self->attachDevices(call);
                             return;
                         }
                         if (state != CallState::Ended)
                             return;
                         // Never established: complete the (empty) file now.
                         if (!self->m_fileSinkUsed)
                             self->m_fileSink.reset();
                         QJsonObject event = CliSession::callJson(QStringLiteral("media"), call);
                         event.insert(QLatin1StringView("quality"),
                                      QJsonObject::fromVariantMap(call->qualityMap()));
                         CliSession::printEvent(event);
                     });
}

void CallAudio::attachDevices(Call *call)
{
    MediaSession *media = call->media();
    QJsonObject event = CliSession::callJson(QStringLiteral("audio"), call);
    const QJsonObject none{{"type", "none"}};

    if (m_fileSource) {
        media->setSource(m_fileSource);
        event.insert(QLatin1StringView("input"), QJsonObject{{"type", "file"}, {"path", m_inPath}});
    } else if (m_devices) {
        auto source = std::make_shared<DeviceAudioSource>(
            m_inputDevice,
            m_processing ? DeviceAudioSource::Processing::On : DeviceAudioSource::Processing::Off);
        DeviceAudioIO *io = source->device();
        event.insert(
            QLatin1StringView("input"),
            io->inputDeviceId().isEmpty()
                ? none
                : deviceJson(AudioDevices::Role::Input, m_inputDevice, io->inputDeviceId()));
        followDevice(call, io, AudioDevices::Role::Input, m_inputDevice);
        // Echo cancellation, noise suppression and gain control on the microphone.
        event.insert(QLatin1StringView("processing"), m_processing);
        media->setSource(std::move(source));
    } else {
        event.insert(QLatin1StringView("input"), none);
    }

    if (!m_outPath.isEmpty()) {
        // The file goes to the first call; the session becomes its only owner,
        // so the file is completed when that call ends. Later calls discard.
        if (!m_fileSinkUsed) {
            m_fileSinkUsed = true;
            media->setSink(std::exchange(m_fileSink, nullptr));
            event.insert(QLatin1StringView("output"),
                         QJsonObject{{"type", "file"}, {"path", m_outPath}});
        } else {
            event.insert(QLatin1StringView("output"), none);
        }
    } else if (m_devices) {
        auto sink = std::make_shared<DeviceAudioSink>(m_outputDevice);
        DeviceAudioIO *io = sink->device();
        event.insert(
            QLatin1StringView("output"),
            io->outputDeviceId().isEmpty()
                ? none
                : deviceJson(AudioDevices::Role::Output, m_outputDevice, io->outputDeviceId()));
        followDevice(call, io, AudioDevices::Role::Output, m_outputDevice);
        media->setSink(std::move(sink));
    } else {
        event.insert(QLatin1StringView("output"), none);
    }
    CliSession::printEvent(event);

    // Opening a device cannot fail the call: without one it goes on in silence.
    const auto reportMissing = [call](const QString &message) {
        QJsonObject error = CliSession::callJson(QStringLiteral("audio_error"), call);
        error.insert(QLatin1StringView("message"), message);
        CliSession::printEvent(error);
    };
    if (event.value(QLatin1StringView("input")).toObject() == none && !m_fileSource && m_devices)
        reportMissing(QStringLiteral("no microphone is available: sending silence"));
    if (event.value(QLatin1StringView("output")).toObject() == none && m_outPath.isEmpty() &&
        m_devices)
        reportMissing(QStringLiteral("no speaker is available: what is heard is discarded"));
}

CliCommand audioDevicesCommand()
{
    CliCommand command;
    command.name = QStringLiteral("audio-devices");
    command.synopsis = QStringLiteral("audio-devices");
    command.description =
        QStringLiteral("List the microphones and speakers, one JSON line each ({\"event\":"
                       "\"audio_device\",\"role\",\"id\",\"description\",\"default\"}), for "
                       "--input-device and --output-device.");
    command.signsIn = false;
    command.run = [](CliSession &session, const QCommandLineParser &,
                     const QStringList &args) -> QString {
        if (!args.isEmpty())
            return QStringLiteral("audio-devices takes no arguments");
        for (const AudioDevices::Role role :
             {AudioDevices::Role::Input, AudioDevices::Role::Output}) {
            const QByteArray defaultId = AudioDevices::defaultId(role);
            for (const AudioDevices::Entry &d : presentDevices(role))
                CliSession::printEvent({{"event", "audio_device"},
                                        {"role", roleName(role)},
                                        {"id", QString::fromUtf8(d.id)},
                                        {"description", d.description},
                                        {"default", d.id == defaultId}});
        }
        session.finish(ExitOk);
        return {};
    };
    return command;
}

} // namespace softphone::cli
