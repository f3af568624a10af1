#pragma once
// A P-256 key pair (or public key alone) held by OpenSSL 3: ECDH for Web Push
// (RFC 8291) and ES256 signatures for JWT and VAPID (RFC 7518, RFC 8292).

#include <QByteArray>
#include <memory>
#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace softphone::crypto {

class EcKey
{
public:
    EcKey();
    ~EcKey();
    EcKey(const EcKey &other);
    EcKey &operator=(const EcKey &other);
    EcKey(EcKey &&) noexcept;
    EcKey &operator=(EcKey &&) noexcept;

    static EcKey generate();
    // 32-byte big-endian private scalar; the public point is derived.
    static std::optional<EcKey> fromPrivateRaw(const QByteArray &d);
    // 65-byte uncompressed point (0x04 || X || Y).
    static std::optional<EcKey> fromPublicRaw(const QByteArray &point);
    static std::optional<EcKey> fromPem(const QByteArray &pem); // private (PKCS#8) or public (SPKI)

    bool isNull() const;
    bool hasPrivate() const;
    QByteArray publicRaw() const;  // 65 bytes
    QByteArray privateRaw() const; // 32 bytes, empty if public only
    QByteArray privatePem() const; // PKCS#8 PEM
    QByteArray publicPem() const;  // SPKI PEM

    // ECDH shared secret (32 bytes) with a peer's public key; empty on failure.
    QByteArray deriveSharedSecret(const EcKey &peerPublic) const;
    // ES256 signature as JOSE raw r||s (64 bytes), always in the low-S form
    // (s <= n/2); empty on failure.
    QByteArray signEs256(const QByteArray &message) const;
    // Accepts only the low-S form: the high-S twin (r, n - s) of a valid
    // signature is refused, so a signed token has one valid byte form.
    bool verifyEs256(const QByteArray &message, const QByteArray &rawSignature) const;

    EVP_PKEY *handle() const { return m_key; }

private:
    explicit EcKey(EVP_PKEY *key);
    EVP_PKEY *m_key = nullptr;
};

} // namespace softphone::crypto
