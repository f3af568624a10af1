#include "SrtpSession.h"

#include <srtp2/srtp.h>

#include <mutex>

namespace softphone::rtp {

namespace {
bool initLibrary()
{
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
    return ok;
}

QString describe(srtp_err_status_t status)
{
    switch (status) {
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
        return QStringLiteral("SRTP packet refused: replayed or too old");
    case srtp_err_status_auth_fail:
        return QStringLiteral("SRTP packet refused: authentication failed (altered or wrong key)");
    case srtp_err_status_bad_param:
        return QStringLiteral("SRTP packet refused: malformed");
    default:
        return QStringLiteral("libsrtp2 error %1").arg(int(status));
    }
}

void setPolicy(srtp_policy_t &policy, SrtpProfile profile, const QByteArray &keySalt, bool outbound)
{
    if (profile == SrtpProfile::AeadAes128Gcm) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    }
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = reinterpret_cast<unsigned char *>(const_cast<char *>(keySalt.constData()));
    policy.window_size = 1024;
    policy.allow_repeat_tx = 0;
    policy.next = nullptr;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

using Transform = srtp_err_status_t (*)(srtp_t, void *, int *);

bool apply(srtp_t ctx, Transform transform, QByteArray &packet, bool grows, QString *error)
{
    if (packet.size() < 8 || packet.size() > 8192)
        return fail(error, QStringLiteral("SRTP packet of %1 bytes refused").arg(packet.size()));
    int length = int(packet.size());
    if (grows)
        packet.resize(length + SRTP_MAX_TRAILER_LEN + 4); // + the SRTCP index
    const srtp_err_status_t status = transform(ctx, packet.data(), &length);
    if (status != srtp_err_status_ok) {
        packet.clear();
        return fail(error, describe(status));
    }
    packet.resize(length);
    return true;
}
} // namespace

int SrtpSession::keySaltSize(SrtpProfile profile)
{
    return profile == SrtpProfile::AeadAes128Gcm ? SRTP_AES_GCM_128_KEY_LEN_WSALT
                                                 : SRTP_AES_ICM_128_KEY_LEN_WSALT;
}

QString SrtpSession::profileName(SrtpProfile profile)
{
    return profile == SrtpProfile::AeadAes128Gcm ? QStringLiteral("AEAD_AES_128_GCM")
                                                 : QStringLiteral("AES_CM_128_HMAC_SHA1_80");
}

bool SrtpSession::isSupported(SrtpProfile profile)
{
    // Asked once per profile: whether libsrtp2 accepts a session with it.
    auto probe = [](SrtpProfile p) {
        const QByteArray zeros(keySaltSize(p), '\0');
        return bool(create({p, zeros, zeros}));
    };
    static const bool aesCm = probe(SrtpProfile::AesCm128HmacSha1_80);
    static const bool gcm = probe(SrtpProfile::AeadAes128Gcm);
    return profile == SrtpProfile::AeadAes128Gcm ? gcm : aesCm;
}

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKeys &keys, QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return nullptr;
    };
    if (!initLibrary())
        return refuse(QStringLiteral("libsrtp2 failed to initialise"));
    const int size = keySaltSize(keys.profile);
    if (keys.localMasterKeySalt.size() != size || keys.remoteMasterKeySalt.size() != size)
        return refuse(QStringLiteral("SRTP %1 needs %2 bytes of master key and salt")
                          .arg(profileName(keys.profile))
                          .arg(size));
    std::unique_ptr<SrtpSession> session(new SrtpSession);
    session->m_profile = keys.profile;
    srtp_policy_t policy{};
    setPolicy(policy, keys.profile, keys.localMasterKeySalt, true);
    srtp_err_status_t status = srtp_create(&session->m_outbound, &policy);
    if (status == srtp_err_status_ok) {
        srtp_policy_t inbound{};
        setPolicy(inbound, keys.profile, keys.remoteMasterKeySalt, false);
        status = srtp_create(&session->m_inbound, &inbound);
    }
    if (status != srtp_err_status_ok)
        return refuse(QStringLiteral("libsrtp2 refused an %1 session (error %2)")
                          .arg(profileName(keys.profile))
                          .arg(int(status)));
    return session;
}

SrtpSession::~SrtpSession()
{
    if (m_outbound)
        srtp_dealloc(m_outbound);
    if (m_inbound)
        srtp_dealloc(m_inbound);
}

bool SrtpSession::protectRtp(QByteArray &packet, QString *error)
{
    return apply(m_outbound, &srtp_protect, packet, true, error);
}

bool SrtpSession::unprotectRtp(QByteArray &packet, QString *error)
{
    return apply(m_inbound, &srtp_unprotect, packet, false, error);
}

bool SrtpSession::protectRtcp(QByteArray &packet, QString *error)
{
    return apply(m_outbound, &srtp_protect_rtcp, packet, true, error);
}

bool SrtpSession::unprotectRtcp(QByteArray &packet, QString *error)
{
    return apply(m_inbound, &srtp_unprotect_rtcp, packet, false, error);
}

} // namespace softphone::rtp
