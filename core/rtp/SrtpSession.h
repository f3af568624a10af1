#pragma once
// SRTP and SRTCP (RFC 3711) for one call's media, over libsrtp2: what we send
// is encrypted and authenticated with our keys, what arrives is checked and
// decrypted with the peer's; a replayed or altered packet is refused. The keys
// come from the DTLS-SRTP handshake (DtlsSrtpTransport), never from the
// server. Not thread-safe: one session lives on one thread.

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>

struct srtp_ctx_t_;

namespace softphone::rtp {

enum class SrtpProfile {
    AesCm128HmacSha1_80, // RFC 3711 default; SRTP_AES128_CM_SHA1_80 in DTLS (RFC 5764)
    AeadAes128Gcm,       // RFC 7714; SRTP_AEAD_AES_128_GCM in DTLS
};

struct SrtpKeys
{
    SrtpProfile profile = SrtpProfile::AesCm128HmacSha1_80;
    QByteArray localMasterKeySalt;  // key || salt for what we send
    QByteArray remoteMasterKeySalt; // key || salt for what we receive
};

class SrtpSession
{
public:
    // Bytes of master key + salt: 16 + 14 for AES-CM, 16 + 12 for GCM.
    static int keySaltSize(SrtpProfile profile);
    static int keySize(SrtpProfile) { return 16; }
    static int saltSize(SrtpProfile profile) { return keySaltSize(profile) - keySize(profile); }
    // Whether this libsrtp2 was built with the profile (GCM needs its OpenSSL backend).
    static bool isSupported(SrtpProfile profile);
    static QString profileName(SrtpProfile profile);

    // Null with *error when the keys have the wrong size or libsrtp refuses them.
    static std::unique_ptr<SrtpSession> create(const SrtpKeys &keys, QString *error = nullptr);
    ~SrtpSession();
    SrtpSession(const SrtpSession &) = delete;
    SrtpSession &operator=(const SrtpSession &) = delete;

    // In place: an RTP/RTCP packet becomes SRTP/SRTCP and back. False (with
    // *error, the packet unusable) for a replay, a failed authentication, a
    // packet too short to be one, or a protect that would repeat an index.
    bool protectRtp(QByteArray &packet, QString *error = nullptr);
    bool unprotectRtp(QByteArray &packet, QString *error = nullptr);
    bool protectRtcp(QByteArray &packet, QString *error = nullptr);
    bool unprotectRtcp(QByteArray &packet, QString *error = nullptr);

    SrtpProfile profile() const { return m_profile; }

private:
    SrtpSession() = default;

    SrtpProfile m_profile = SrtpProfile::AesCm128HmacSha1_80;
    srtp_ctx_t_ *m_outbound = nullptr;
    srtp_ctx_t_ *m_inbound = nullptr;
};

} // namespace softphone::rtp
