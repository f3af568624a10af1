#pragma once
// The certificate a call's endpoint shows in the DTLS-SRTP handshake: a fresh
// self-signed ECDSA P-256 certificate (RFC 5763: no CA, the trust comes from
// the fingerprint carried in the signed-in signaling). Its SHA-256 fingerprint
// is sent in the offer/answer; the peer's certificate must match the
// fingerprint received, or the call's media is refused.

#include <QByteArray>
#include <QString>
#include <memory>

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace softphone::rtp {

class DtlsCertificate
{
public:
    // A new key and certificate (valid from an hour ago for 30 days); null
    // with *error when OpenSSL fails.
    static std::shared_ptr<const DtlsCertificate> generate(QString *error = nullptr);
    ~DtlsCertificate();

    // "sha-256 AB:CD:..." as in SDP's a=fingerprint (RFC 8122).
    QString fingerprint() const { return m_fingerprint; }
    QByteArray der() const;
    X509 *x509() const { return m_x509; }
    EVP_PKEY *key() const { return m_key; }

    // The fingerprint of any certificate, in the same form.
    static QString fingerprintOf(X509 *certificate);
    // Compares two fingerprints ignoring case of the hex digits; false for a
    // hash other than sha-256.
    static bool fingerprintsMatch(const QString &a, const QString &b);

private:
    DtlsCertificate() = default;
    X509 *m_x509 = nullptr;
    EVP_PKEY *m_key = nullptr;
    QString m_fingerprint;
};

} // namespace softphone::rtp
