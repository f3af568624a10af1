#pragma once
// DTLS-SRTP (RFC 5763/5764) over a DatagramTransport: the handshake with the
// peer whose certificate fingerprint came through the signed-in signaling,
// the SRTP profile negotiated with use_srtp, the keys exported from the
// handshake into an SrtpSession; then RTP and RTCP out protected and in
// checked. One port carries STUN, DTLS, SRTP and SRTCP (RFC 7983); STUN is
// the ICE agent's and never reaches here.
//
// Roles (RFC 5763 a=setup): the offerer says actpass, the answerer active, so
// the answerer is the DTLS client. The handshake has a deadline and bounded
// retransmissions; a fingerprint mismatch, an alert or the deadline ends it
// with failed() and a sentence saying why. Media keys never leave the process.

#include "DatagramTransport.h"
#include "DtlsCertificate.h"
#include "SrtpSession.h"

#include <QPointer>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct bio_st BIO;

namespace softphone::rtp {

class DtlsSrtpTransport : public QObject
{
    Q_OBJECT
public:
    enum class Role { Client, Server }; // active, passive
    enum class State { New, Handshaking, Connected, Failed, Closed };
    Q_ENUM(State)

    struct Settings
    {
        int handshakeTimeoutMs = 10000;
        int firstRetransmitMs = 400; // then doubled, at most 3200
        int maxRetransmits = 8;
        int mtu = 1200; // DTLS record size: fits any path with ICE/TURN overhead
        // In order of preference; only profiles this libsrtp2 has are offered.
        std::vector<SrtpProfile> profiles{SrtpProfile::AeadAes128Gcm,
                                          SrtpProfile::AesCm128HmacSha1_80};
    };

    DtlsSrtpTransport(std::shared_ptr<const DtlsCertificate> certificate, Role role,
                      const QString &remoteFingerprint, DatagramTransport *transport,
                      QObject *parent = nullptr);
    DtlsSrtpTransport(std::shared_ptr<const DtlsCertificate> certificate, Role role,
                      const QString &remoteFingerprint, DatagramTransport *transport,
                      const Settings &settings, QObject *parent = nullptr);
    ~DtlsSrtpTransport() override;

    // Starts the handshake (the client sends its hello; the server waits).
    void start();
    // Sends close_notify; no more media in either direction.
    void close();

    // A plain RTP/RTCP packet out, protected. False before connected() or when
    // SRTP refuses it (*error says why).
    bool sendRtp(const QByteArray &rtp, QString *error = nullptr);
    bool sendRtcp(const QByteArray &rtcp, QString *error = nullptr);

    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    std::optional<SrtpProfile> profile() const;
    int retransmits() const { return m_retransmits; }
    quint64 refusedPackets() const { return m_refused; }

signals:
    void connected();
    void failed(const QString &why);
    void closed();
    void rtpReceived(const QByteArray &rtp);
    void rtcpReceived(const QByteArray &rtcp);

private:
    friend struct DtlsBio;
    void onDatagram(const QByteArray &datagram);
    void continueHandshake();
    void drainAfterHandshake();
    void armRetransmitTimer();
    void onRetransmitTimer();
    void fail(const QString &why);
    bool sendProtected(QByteArray packet, bool rtcp, QString *error);
    bool exportKeys();
    QString sslError(int result);

    std::shared_ptr<const DtlsCertificate> m_certificate;
    Role m_role;
    QString m_remoteFingerprint;
    QPointer<DatagramTransport> m_transport;
    Settings m_settings;
    State m_state = State::New;
    QString m_error;
    QString m_verifyError;
    SSL_CTX *m_ctx = nullptr;
    SSL *m_ssl = nullptr;
    QByteArray m_incoming; // the datagram the BIO hands to OpenSSL next
    bool m_incomingTaken = true;
    QTimer m_retransmitTimer;
    QTimer m_deadline;
    int m_retransmits = 0;
    std::unique_ptr<SrtpSession> m_srtp;
    quint64 m_refused = 0;
};

} // namespace softphone::rtp
