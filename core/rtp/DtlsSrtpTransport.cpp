#include "DtlsSrtpTransport.h"

#include "PacketKind.h"
#include "RtpLogging.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <mutex>

namespace softphone::rtp {

namespace {
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp"; // RFC 5764 4.2
constexpr int kMaxRetransmitMs = 3200;

const char *opensslProfileName(SrtpProfile profile)
{
    return profile == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM"
                                                 : "SRTP_AES128_CM_SHA1_80";
}

std::optional<SrtpProfile> profileFromId(unsigned long id)
{
    if (id == SRTP_AES128_CM_SHA1_80)
        return SrtpProfile::AesCm128HmacSha1_80;
    if (id == SRTP_AEAD_AES_128_GCM)
        return SrtpProfile::AeadAes128Gcm;
    return std::nullopt;
}

int transportIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}
} // namespace

// The BIO between OpenSSL and the DatagramTransport: each write is one
// datagram out (DTLS writes whole records per datagram), each read hands over
// the one datagram that just arrived.
struct DtlsBio
{
    static BIO_METHOD *method()
    {
        static BIO_METHOD *m = [] {
            BIO_METHOD *bm =
                BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "softphone datagram");
            BIO_meth_set_write(bm, &DtlsBio::write);
            BIO_meth_set_read(bm, &DtlsBio::read);
            BIO_meth_set_ctrl(bm, &DtlsBio::ctrl);
            BIO_meth_set_create(bm, [](BIO *b) {
                BIO_set_init(b, 1);
                return 1;
            });
            return bm;
        }();
        return m;
    }

    static DtlsSrtpTransport *owner(BIO *b)
    {
        return static_cast<DtlsSrtpTransport *>(BIO_get_data(b));
    }

    static int write(BIO *b, const char *data, int length)
    {
        DtlsSrtpTransport *self = owner(b);
        if (!self || !self->m_transport || length <= 0)
            return -1;
        // A datagram that cannot go out now is lost like any UDP loss: the
        // retransmit timer sends it again.
        self->m_transport->sendDatagram(QByteArray(data, length));
        return length;
    }

    static int read(BIO *b, char *data, int length)
    {
        DtlsSrtpTransport *self = owner(b);
        BIO_clear_retry_flags(b);
        if (!self || self->m_incomingTaken) {
            BIO_set_retry_read(b);
            return -1;
        }
        self->m_incomingTaken = true;
        const int n = int(qMin<qsizetype>(length, self->m_incoming.size()));
        memcpy(data, self->m_incoming.constData(), size_t(n));
        return n;
    }

    static long ctrl(BIO *, int cmd, long, void *)
    {
        switch (cmd) {
        case BIO_CTRL_FLUSH:
            return 1;
        case BIO_CTRL_DGRAM_QUERY_MTU: // SSL_OP_NO_QUERY_MTU: the MTU is set explicitly
        case BIO_CTRL_WPENDING:
        case BIO_CTRL_PENDING:
        default:
            return 0;
        }
    }
};

DtlsSrtpTransport::DtlsSrtpTransport(std::shared_ptr<const DtlsCertificate> certificate, Role role,
                                     const QString &remoteFingerprint, DatagramTransport *transport,
                                     QObject *parent)
    : DtlsSrtpTransport(std::move(certificate), role, remoteFingerprint, transport, Settings(),
                        parent)
{}

DtlsSrtpTransport::DtlsSrtpTransport(std::shared_ptr<const DtlsCertificate> certificate, Role role,
                                     const QString &remoteFingerprint, DatagramTransport *transport,
                                     const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_certificate(std::move(certificate))
    , m_role(role)
    , m_remoteFingerprint(remoteFingerprint)
    , m_transport(transport)
    , m_settings(settings)
{
    m_retransmitTimer.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_retransmitTimer, &QTimer::timeout, this, &DtlsSrtpTransport::onRetransmitTimer);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("DTLS handshake timed out after %1 s (%2 retransmissions, no "
                            "complete answer from the peer)")
                 .arg(m_settings.handshakeTimeoutMs / 1000.0)
                 .arg(m_retransmits));
    });
    if (m_transport)
        connect(m_transport, &DatagramTransport::datagramReceived, this,
                &DtlsSrtpTransport::onDatagram);
}

DtlsSrtpTransport::~DtlsSrtpTransport()
{
    SSL_free(m_ssl); // frees the BIO too
    SSL_CTX_free(m_ctx);
}

void DtlsSrtpTransport::start()
{
    if (m_state != State::New)
        return;
    m_state = State::Handshaking;
    if (!m_certificate || !m_transport)
        return fail(QStringLiteral("DTLS needs a certificate and a transport"));
    m_ctx = SSL_CTX_new(DTLS_method());
    if (!m_ctx)
        return fail(sslError(0));
    SSL_CTX_set_min_proto_version(m_ctx, DTLS1_2_VERSION);
    SSL_CTX_set_options(m_ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
    SSL_CTX_set_read_ahead(m_ctx, 1);
    QByteArray profiles;
    for (SrtpProfile p : m_settings.profiles) {
        if (!SrtpSession::isSupported(p))
            continue;
        if (!profiles.isEmpty())
            profiles += ':';
        profiles += opensslProfileName(p);
    }
    // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
    if (profiles.isEmpty() || SSL_CTX_set_tlsext_use_srtp(m_ctx, profiles.constData()) != 0)
        return fail(QStringLiteral("no SRTP profile to offer in DTLS"));
    if (SSL_CTX_use_certificate(m_ctx, m_certificate->x509()) != 1 ||
        SSL_CTX_use_PrivateKey(m_ctx, m_certificate->key()) != 1)
        return fail(sslError(0));
    // Any certificate passes the chain check (they are self-signed); the
    // fingerprint from signaling is what decides.
    SSL_CTX_set_verify(
        m_ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
        [](int, X509_STORE_CTX *store) -> int {
            if (X509_STORE_CTX_get_error_depth(store) != 0)
                return 1;
            SSL *ssl = static_cast<SSL *>(
                X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
            auto *self = static_cast<DtlsSrtpTransport *>(SSL_get_ex_data(ssl, transportIndex()));
            const QString seen =
                DtlsCertificate::fingerprintOf(X509_STORE_CTX_get_current_cert(store));
            if (DtlsCertificate::fingerprintsMatch(self->m_remoteFingerprint, seen))
                return 1;
            self->m_verifyError =
                QStringLiteral("the peer's DTLS certificate (%1) does not match the "
                               "fingerprint from signaling (%2)")
                    .arg(seen, self->m_remoteFingerprint);
            return 0;
        });
    m_ssl = SSL_new(m_ctx);
    if (!m_ssl)
        return fail(sslError(0));
    SSL_set_ex_data(m_ssl, transportIndex(), this);
    BIO *bio = BIO_new(DtlsBio::method());
    BIO_set_data(bio, this);
    SSL_set_bio(m_ssl, bio, bio);
    SSL_set_mtu(m_ssl, m_settings.mtu);
    DTLS_set_link_mtu(m_ssl, m_settings.mtu);
    DTLS_set_timer_cb(m_ssl, [](SSL *ssl, unsigned int previousUs) -> unsigned int {
        auto *self = static_cast<DtlsSrtpTransport *>(SSL_get_ex_data(ssl, transportIndex()));
        if (previousUs == 0)
            return unsigned(self->m_settings.firstRetransmitMs) * 1000;
        return qMin(previousUs * 2, unsigned(kMaxRetransmitMs) * 1000);
    });
    if (m_role == Role::Client)
        SSL_set_connect_state(m_ssl);
    else
        SSL_set_accept_state(m_ssl);
    m_deadline.start(m_settings.handshakeTimeoutMs);
    if (m_role == Role::Client)
        continueHandshake();
}

void DtlsSrtpTransport::onDatagram(const QByteArray &datagram)
{
    switch (classifyPacket(datagram)) {
    case PacketKind::Dtls:
        if (!m_ssl || m_state == State::Failed || m_state == State::Closed)
            return;
        m_incoming = datagram;
        m_incomingTaken = false;
        if (m_state == State::Handshaking)
            continueHandshake();
        else
            drainAfterHandshake();
        m_incomingTaken = true;
        return;
    case PacketKind::Rtp:
    case PacketKind::Rtcp: {
        if (m_state != State::Connected)
            return; // media before the keys: nothing to open it with
        QByteArray packet = datagram;
        const bool rtcp = classifyPacket(datagram) == PacketKind::Rtcp;
        QString why;
        if (!(rtcp ? m_srtp->unprotectRtcp(packet, &why) : m_srtp->unprotectRtp(packet, &why))) {
            ++m_refused;
            qCDebug(lcRtp) << "refused" << (rtcp ? "SRTCP" : "SRTP") << "packet:" << why;
            return;
        }
        if (rtcp)
            emit rtcpReceived(packet);
        else
            emit rtpReceived(packet);
        return;
    }
    default:
        return;
    }
}

void DtlsSrtpTransport::continueHandshake()
{
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        m_retransmitTimer.stop();
        m_deadline.stop();
        if (!exportKeys())
            return;
        m_state = State::Connected;
        qCInfo(lcRtp) << "DTLS-SRTP connected," << SrtpSession::profileName(*profile());
        emit connected();
        return;
    }
    const int code = SSL_get_error(m_ssl, result);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
        armRetransmitTimer();
        return;
    }
    fail(m_verifyError.isEmpty() ? sslError(result) : m_verifyError);
}

void DtlsSrtpTransport::drainAfterHandshake()
{
    // Application data is not used; reading processes retransmitted handshake
    // messages and alerts (close_notify).
    char buffer[2048];
    const int result = SSL_read(m_ssl, buffer, sizeof buffer);
    if (result > 0)
        return;
    const int code = SSL_get_error(m_ssl, result);
    if (code == SSL_ERROR_ZERO_RETURN) {
        m_state = State::Closed;
        m_srtp.reset();
        emit closed();
    } else if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
    }
}

void DtlsSrtpTransport::armRetransmitTimer()
{
    timeval tv{};
    if (DTLSv1_get_timeout(m_ssl, &tv))
        m_retransmitTimer.start(int(tv.tv_sec * 1000 + tv.tv_usec / 1000));
}

void DtlsSrtpTransport::onRetransmitTimer()
{
    if (m_state != State::Handshaking)
        return;
    if (m_retransmits >= m_settings.maxRetransmits)
        return fail(QStringLiteral("DTLS handshake gave up after %1 retransmissions (no answer "
                                   "from the peer)")
                        .arg(m_retransmits));
    const int result = DTLSv1_handle_timeout(m_ssl);
    if (result < 0)
        return fail(sslError(result));
    if (result > 0)
        ++m_retransmits;
    armRetransmitTimer();
}

bool DtlsSrtpTransport::exportKeys()
{
    const SRTP_PROTECTION_PROFILE *selected = SSL_get_selected_srtp_profile(m_ssl);
    const auto chosen = selected ? profileFromId(selected->id) : std::nullopt;
    if (!chosen) {
        fail(QStringLiteral("the peer agreed on no SRTP profile in DTLS (use_srtp)"));
        return false;
    }
    const int keyLength = SrtpSession::keySize(*chosen);
    const int saltLength = SrtpSession::saltSize(*chosen);
    QByteArray material(2 * (keyLength + saltLength), '\0');
    if (SSL_export_keying_material(m_ssl, reinterpret_cast<unsigned char *>(material.data()),
                                   size_t(material.size()), kExporterLabel,
                                   sizeof kExporterLabel - 1, nullptr, 0, 0) != 1) {
        fail(sslError(0));
        return false;
    }
    // RFC 5764 4.2: client key, server key, client salt, server salt.
    const QByteArray clientKeySalt =
        material.mid(0, keyLength) + material.mid(2 * keyLength, saltLength);
    const QByteArray serverKeySalt =
        material.mid(keyLength, keyLength) + material.mid(2 * keyLength + saltLength, saltLength);
    const bool client = m_role == Role::Client;
    SrtpKeys keys{*chosen, client ? clientKeySalt : serverKeySalt,
                  client ? serverKeySalt : clientKeySalt};
    QString why;
    m_srtp = SrtpSession::create(keys, &why);
    material.fill('\0');
    if (!m_srtp) {
        fail(why);
        return false;
    }
    return true;
}

std::optional<SrtpProfile> DtlsSrtpTransport::profile() const
{
    if (m_srtp)
        return m_srtp->profile();
    return std::nullopt;
}

bool DtlsSrtpTransport::sendRtp(const QByteArray &rtp, QString *error)
{
    return sendProtected(rtp, false, error);
}

bool DtlsSrtpTransport::sendRtcp(const QByteArray &rtcp, QString *error)
{
    return sendProtected(rtcp, true, error);
}

bool DtlsSrtpTransport::sendProtected(QByteArray packet, bool rtcp, QString *error)
{
    if (m_state != State::Connected || !m_transport) {
        if (error)
            *error = QStringLiteral("DTLS-SRTP is not connected");
        return false;
    }
    const bool ok = rtcp ? m_srtp->protectRtcp(packet, error) : m_srtp->protectRtp(packet, error);
    return ok && m_transport->sendDatagram(packet);
}

void DtlsSrtpTransport::close()
{
    if (m_state == State::Closed || m_state == State::Failed)
        return;
    if (m_ssl && m_state == State::Connected)
        SSL_shutdown(m_ssl);
    m_retransmitTimer.stop();
    m_deadline.stop();
    m_state = State::Closed;
    m_srtp.reset();
    emit closed();
}

void DtlsSrtpTransport::fail(const QString &why)
{
    if (m_state == State::Failed)
        return;
    m_retransmitTimer.stop();
    m_deadline.stop();
    m_state = State::Failed;
    m_error = why;
    m_srtp.reset();
    qCWarning(lcRtp) << "DTLS-SRTP failed:" << why;
    emit failed(why);
}

QString DtlsSrtpTransport::sslError(int result)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code && ERR_GET_REASON(code) >= SSL_AD_REASON_OFFSET) {
        // An alert from the peer, e.g. it refused our certificate's fingerprint.
        return QStringLiteral("DTLS handshake refused by the peer (alert: %1)")
            .arg(QString::fromLatin1(
                SSL_alert_desc_string_long(ERR_GET_REASON(code) - SSL_AD_REASON_OFFSET)));
    }
    if (code) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        return QStringLiteral("DTLS handshake failed: %1").arg(QString::fromLatin1(text));
    }
    return QStringLiteral("DTLS handshake failed (OpenSSL result %1)").arg(result);
}

} // namespace softphone::rtp
