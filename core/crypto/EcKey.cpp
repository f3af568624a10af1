#include "EcKey.h"

#include "OpenSslPtr.h"

#include <openssl/pem.h>

#include <utility>

namespace softphone::crypto {

namespace {

constexpr int kScalarSize = 32;
constexpr int kPointSize = 65;
constexpr char kCurve[] = "prime256v1";

bool isP256(EVP_PKEY *key)
{
    if (!key || !EVP_PKEY_is_a(key, "EC"))
        return false;
    char name[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) !=
        1)
        return false;
    return qstrcmp(name, kCurve) == 0 || qstrcmp(name, "P-256") == 0;
}

// The order n of P-256 and n/2: for every valid (r, s) the pair (r, n - s)
// verifies too, so an ECDSA signature is malleable. We accept only the low-S
// form (s <= n/2) and sign only in it, so each signed token has exactly one
// valid byte form (nothing can key on a token's bytes and be fooled by its twin).
struct P256Order
{
    ossl::BigNum n;
    ossl::BigNum half;
};

const P256Order &p256Order()
{
    static const P256Order order = [] {
        P256Order o;
        std::unique_ptr<EC_GROUP, ossl::Deleter<&EC_GROUP_free>> group(
            EC_GROUP_new_by_curve_name_ex(nullptr, nullptr, NID_X9_62_prime256v1));
        if (!group)
            return o;
        o.n.reset(BN_dup(EC_GROUP_get0_order(group.get())));
        o.half.reset(BN_new());
        if (o.n && o.half && BN_rshift1(o.half.get(), o.n.get()) != 1)
            o.half.reset();
        return o;
    }();
    return order;
}

bool isLowS(const BIGNUM *s)
{
    const P256Order &order = p256Order();
    return order.half && BN_cmp(s, order.half.get()) <= 0;
}

ossl::PKey keyFromParams(const OSSL_PARAM *params, int selection)
{
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *key = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, selection, const_cast<OSSL_PARAM *>(params)) != 1)
        return nullptr;
    return ossl::PKey(key);
}

QByteArray pemFrom(const ossl::Bio &bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return len > 0 ? QByteArray(data, len) : QByteArray();
}

} // namespace

EcKey::EcKey() = default;
EcKey::EcKey(EVP_PKEY *key)
    : m_key(key)
{}
EcKey::~EcKey()
{
    EVP_PKEY_free(m_key);
}

// Keys are never modified after creation, so copies share one reference-counted handle.
EcKey::EcKey(const EcKey &other)
    : m_key(other.m_key)
{
    if (m_key)
        EVP_PKEY_up_ref(m_key);
}

EcKey &EcKey::operator=(const EcKey &other)
{
    if (this != &other) {
        if (other.m_key)
            EVP_PKEY_up_ref(other.m_key);
        EVP_PKEY_free(m_key);
        m_key = other.m_key;
    }
    return *this;
}

EcKey::EcKey(EcKey &&other) noexcept
    : m_key(std::exchange(other.m_key, nullptr))
{}

EcKey &EcKey::operator=(EcKey &&other) noexcept
{
    if (this != &other) {
        EVP_PKEY_free(m_key);
        m_key = std::exchange(other.m_key, nullptr);
    }
    return *this;
}

EcKey EcKey::generate()
{
    return EcKey(EVP_EC_gen(kCurve));
}

std::optional<EcKey> EcKey::fromPrivateRaw(const QByteArray &d)
{
    if (d.size() != kScalarSize)
        return std::nullopt;
    ossl::BigNum priv(BN_bin2bn(ossl::bytes(d), d.size(), nullptr));
    std::unique_ptr<EC_GROUP, ossl::Deleter<&EC_GROUP_free>> group(
        EC_GROUP_new_by_curve_name_ex(nullptr, nullptr, NID_X9_62_prime256v1));
    if (!priv || !group)
        return std::nullopt;
    // The scalar must lie in [1, n-1]; anything else is not a key.
    if (BN_is_zero(priv.get()) || BN_cmp(priv.get(), EC_GROUP_get0_order(group.get())) >= 0)
        return std::nullopt;

    // fromdata does not derive the public point, so compute d*G here.
    std::unique_ptr<EC_POINT, ossl::Deleter<&EC_POINT_free>> pub(EC_POINT_new(group.get()));
    QByteArray point(kPointSize, Qt::Uninitialized);
    if (!pub || EC_POINT_mul(group.get(), pub.get(), priv.get(), nullptr, nullptr, nullptr) != 1 ||
        EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                           ossl::bytes(point), point.size(), nullptr) != size_t(kPointSize))
        return std::nullopt;

    ossl::ParamBld bld(OSSL_PARAM_BLD_new());
    if (!bld ||
        !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kCurve, 0) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                          point.size()))
        return std::nullopt;
    ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
    if (!params)
        return std::nullopt;
    auto key = keyFromParams(params.get(), EVP_PKEY_KEYPAIR);
    if (!key)
        return std::nullopt;
    return EcKey(key.release());
}

std::optional<EcKey> EcKey::fromPublicRaw(const QByteArray &point)
{
    if (point.size() != kPointSize || point.at(0) != 0x04)
        return std::nullopt;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char *>(kCurve), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                          const_cast<char *>(point.constData()), point.size()),
        OSSL_PARAM_construct_end(),
    };
    auto key = keyFromParams(params, EVP_PKEY_PUBLIC_KEY);
    if (!key)
        return std::nullopt;
    // A point off the curve would leak the private key through ECDH (invalid-curve attack).
    ossl::PKeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1)
        return std::nullopt;
    return EcKey(key.release());
}

std::optional<EcKey> EcKey::fromPem(const QByteArray &pem)
{
    if (pem.isEmpty())
        return std::nullopt;
    EVP_PKEY *raw = nullptr;
    {
        ossl::Bio bio(BIO_new_mem_buf(pem.constData(), pem.size()));
        if (bio)
            raw =
                PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, nullptr, nullptr, nullptr, nullptr);
    }
    if (!raw) {
        ossl::Bio bio(BIO_new_mem_buf(pem.constData(), pem.size()));
        if (bio)
            raw = PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, nullptr, nullptr, nullptr, nullptr);
    }
    ossl::PKey key(raw);
    if (!isP256(key.get()))
        return std::nullopt;
    return EcKey(key.release());
}

bool EcKey::isNull() const
{
    return m_key == nullptr;
}

bool EcKey::hasPrivate() const
{
    if (!m_key)
        return false;
    BIGNUM *priv = nullptr;
    const bool ok = EVP_PKEY_get_bn_param(m_key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) == 1;
    BN_clear_free(priv);
    return ok;
}

QByteArray EcKey::publicRaw() const
{
    if (!m_key)
        return {};
    QByteArray point(kPointSize, Qt::Uninitialized);
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(m_key, OSSL_PKEY_PARAM_PUB_KEY, ossl::bytes(point),
                                        point.size(), &len) != 1 ||
        len != size_t(kPointSize) || point.at(0) != 0x04)
        return {};
    return point;
}

QByteArray EcKey::privateRaw() const
{
    if (!m_key)
        return {};
    BIGNUM *priv = nullptr;
    if (EVP_PKEY_get_bn_param(m_key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) != 1)
        return {};
    QByteArray out(kScalarSize, Qt::Uninitialized);
    const int len = BN_bn2binpad(priv, ossl::bytes(out), out.size());
    BN_clear_free(priv);
    return len == kScalarSize ? out : QByteArray();
}

QByteArray EcKey::privatePem() const
{
    if (!hasPrivate())
        return {};
    ossl::Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return pemFrom(bio);
}

QByteArray EcKey::publicPem() const
{
    if (!m_key)
        return {};
    ossl::Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key) != 1)
        return {};
    return pemFrom(bio);
}

QByteArray EcKey::deriveSharedSecret(const EcKey &peerPublic) const
{
    if (!m_key || !peerPublic.m_key)
        return {};
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_key, nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peerPublic.m_key, 1) != 1 ||
        EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1 || len != size_t(kScalarSize))
        return {};
    QByteArray secret(int(len), Qt::Uninitialized);
    if (EVP_PKEY_derive(ctx.get(), ossl::bytes(secret), &len) != 1 || len != size_t(kScalarSize))
        return {};
    return secret;
}

QByteArray EcKey::signEs256(const QByteArray &message) const
{
    if (!hasPrivate())
        return {};
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    size_t derLen = 0;
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, m_key, nullptr) !=
            1 ||
        EVP_DigestSign(ctx.get(), nullptr, &derLen, ossl::bytes(message), message.size()) != 1)
        return {};
    QByteArray der(int(derLen), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), ossl::bytes(der), &derLen, ossl::bytes(message),
                       message.size()) != 1)
        return {};

    // OpenSSL speaks DER (SEQUENCE of two INTEGERs); JOSE wants fixed-width r || s.
    const unsigned char *p = ossl::bytes(der);
    ossl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, long(derLen)));
    if (!sig)
        return {};
    // OpenSSL returns whichever s the nonce gave: normalise to the low-S form.
    ossl::BigNum lowS(BN_dup(ECDSA_SIG_get0_s(sig.get())));
    if (!lowS || !p256Order().n)
        return {};
    if (!isLowS(lowS.get()) && BN_sub(lowS.get(), p256Order().n.get(), lowS.get()) != 1)
        return {};
    QByteArray raw(2 * kScalarSize, Qt::Uninitialized);
    auto *out = ossl::bytes(raw);
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, kScalarSize) != kScalarSize ||
        BN_bn2binpad(lowS.get(), out + kScalarSize, kScalarSize) != kScalarSize)
        return {};
    return raw;
}

bool EcKey::verifyEs256(const QByteArray &message, const QByteArray &rawSignature) const
{
    if (!m_key || rawSignature.size() != 2 * kScalarSize)
        return false;
    const auto *in = ossl::bytes(rawSignature);
    ossl::BigNum r(BN_bin2bn(in, kScalarSize, nullptr));
    ossl::BigNum s(BN_bin2bn(in + kScalarSize, kScalarSize, nullptr));
    // The high-S twin of a valid signature is refused (see p256Order()).
    if (!r || !s || !isLowS(s.get()))
        return false;
    ossl::EcdsaSig sig(ECDSA_SIG_new());
    if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return false;
    r.release(); // now owned by sig
    s.release();

    unsigned char *der = nullptr;
    const int derLen = i2d_ECDSA_SIG(sig.get(), &der);
    if (derLen <= 0)
        return false;
    std::unique_ptr<unsigned char, void (*)(unsigned char *)> derOwner(
        der, [](unsigned char *p) { OPENSSL_free(p); });

    ossl::MdCtx ctx(EVP_MD_CTX_new());
    return ctx &&
           EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, m_key,
                                   nullptr) == 1 &&
           EVP_DigestVerify(ctx.get(), der, size_t(derLen), ossl::bytes(message), message.size()) ==
               1;
}

} // namespace softphone::crypto
