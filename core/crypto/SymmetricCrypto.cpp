#include "SymmetricCrypto.h"

#include "OpenSslPtr.h"

namespace softphone::crypto {

namespace {
constexpr int kNonceSize = 12;

const EVP_CIPHER *gcmFor(const QByteArray &key)
{
    if (key.size() == 16)
        return EVP_aes_128_gcm();
    if (key.size() == 32)
        return EVP_aes_256_gcm();
    return nullptr;
}
} // namespace

QByteArray sha256(const QByteArray &data)
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), ossl::bytes(out), &len, EVP_sha256(),
                   nullptr) != 1 ||
        len != 32)
        return {};
    return out;
}

QByteArray hkdfSha256(const QByteArray &salt, const QByteArray &ikm, const QByteArray &info,
                      int length)
{
    if (length <= 0 || length > 255 * 32)
        return {};
    ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf)
        return {};
    ossl::KdfCtx ctx(EVP_KDF_CTX_new(kdf.get()));
    char digest[] = "SHA256";
    // OpenSSL wants non-const pointers; it only reads them. An empty salt is
    // RFC 5869's "HashLen zeros", which OpenSSL applies when none is given.
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char *>(ikm.constData()),
                                          size_t(ikm.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char *>(salt.constData()),
                                          size_t(salt.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(info.constData()),
                                          size_t(info.size())),
        OSSL_PARAM_construct_end(),
    };
    QByteArray out(length, Qt::Uninitialized);
    if (!ctx || EVP_KDF_derive(ctx.get(), ossl::bytes(out), size_t(length), params) != 1)
        return {};
    return out;
}

QByteArray aesGcmEncrypt(const QByteArray &key, const QByteArray &nonce,
                         const QByteArray &plaintext, const QByteArray &aad)
{
    const EVP_CIPHER *cipher = gcmFor(key);
    if (!cipher || nonce.size() != kNonceSize)
        return {};
    QByteArray out(plaintext.size() + kAesGcmTagSize, Qt::Uninitialized);
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0, finalLen = 0, aadLen = 0;
    if (!ctx ||
        EVP_EncryptInit_ex2(ctx.get(), cipher, ossl::bytes(key), ossl::bytes(nonce), nullptr) !=
            1 ||
        (!aad.isEmpty() &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &aadLen, ossl::bytes(aad), aad.size()) != 1) ||
        (!plaintext.isEmpty() &&
         EVP_EncryptUpdate(ctx.get(), ossl::bytes(out), &len, ossl::bytes(plaintext),
                           plaintext.size()) != 1) ||
        EVP_EncryptFinal_ex(ctx.get(), ossl::bytes(out) + len, &finalLen) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagSize,
                            out.data() + len + finalLen) != 1)
        return {};
    out.truncate(len + finalLen + kAesGcmTagSize);
    return out;
}

std::optional<QByteArray> aesGcmDecrypt(const QByteArray &key, const QByteArray &nonce,
                                        const QByteArray &sealed, const QByteArray &aad)
{
    const EVP_CIPHER *cipher = gcmFor(key);
    if (!cipher || nonce.size() != kNonceSize || sealed.size() < kAesGcmTagSize)
        return std::nullopt;
    const int ctLen = int(sealed.size()) - kAesGcmTagSize;
    QByteArray tag = sealed.right(kAesGcmTagSize);
    QByteArray plain(ctLen, Qt::Uninitialized);
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0, finalLen = 0, aadLen = 0;
    if (!ctx ||
        EVP_DecryptInit_ex2(ctx.get(), cipher, ossl::bytes(key), ossl::bytes(nonce), nullptr) !=
            1 ||
        (!aad.isEmpty() &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &aadLen, ossl::bytes(aad), aad.size()) != 1) ||
        (ctLen > 0 &&
         EVP_DecryptUpdate(ctx.get(), ossl::bytes(plain), &len, ossl::bytes(sealed), ctLen) != 1) ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagSize, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), ossl::bytes(plain) + len, &finalLen) != 1)
        return std::nullopt;
    plain.truncate(len + finalLen);
    return plain;
}

} // namespace softphone::crypto
