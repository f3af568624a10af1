#pragma once
// Test helper: the high-S twin (r, n - s) of a JOSE ES256 signature, and
// OpenSSL's own verdict on a raw signature (to show the twin is a signature
// plain ECDSA accepts, which EcKey must still refuse).
#include "crypto/EcKey.h"

#include <QByteArray>
#include <memory>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

namespace ecdsatest {

using BigNum = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

inline BigNum p256Order()
{
    std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(
        EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), &EC_GROUP_free);
    return BigNum(BN_dup(EC_GROUP_get0_order(group.get())), &BN_free);
}

inline BigNum sOf(const QByteArray &raw)
{
    return BigNum(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()) + 32, 32, nullptr),
        &BN_free);
}

inline QByteArray highSTwin(const QByteArray &raw)
{
    BigNum s = sOf(raw);
    BN_sub(s.get(), p256Order().get(), s.get());
    QByteArray twin = raw.left(32) + QByteArray(32, '\0');
    BN_bn2binpad(s.get(), reinterpret_cast<unsigned char *>(twin.data()) + 32, 32);
    return twin;
}

// Plain OpenSSL ECDSA-SHA256 verification of a raw r||s signature.
inline bool openSslAccepts(const softphone::crypto::EcKey &key, const QByteArray &message,
                           const QByteArray &raw)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    const auto *in = reinterpret_cast<const unsigned char *>(raw.constData());
    ECDSA_SIG_set0(sig, BN_bin2bn(in, 32, nullptr), BN_bin2bn(in + 32, 32, nullptr));
    unsigned char *der = nullptr;
    const int derLen = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, key.handle(),
                                            nullptr) == 1 &&
                    EVP_DigestVerify(ctx, der, size_t(derLen),
                                     reinterpret_cast<const unsigned char *>(message.constData()),
                                     size_t(message.size())) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return ok;
}

// s <= n/2, read from the raw signature's second half.
inline bool isLowS(const QByteArray &raw)
{
    BigNum half = p256Order();
    BN_rshift1(half.get(), half.get());
    return BN_cmp(sOf(raw).get(), half.get()) <= 0;
}

} // namespace ecdsatest
