#include "TurnCredentials.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace softphone::rtp {

TurnCredentials turnRestCredentials(const QByteArray &sharedSecret, const QString &user,
                                    qint64 expiresAtUnixSeconds)
{
    TurnCredentials out;
    out.expiresAt = expiresAtUnixSeconds;
    out.username = QString::number(expiresAtUnixSeconds) + QLatin1Char(':') + user;
    const QByteArray message = out.username.toUtf8();
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    char digest[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    unsigned char md[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (ctx &&
        EVP_MAC_init(ctx, reinterpret_cast<const unsigned char *>(sharedSecret.constData()),
                     size_t(sharedSecret.size()), params) &&
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char *>(message.constData()),
                       size_t(message.size())) &&
        EVP_MAC_final(ctx, md, &length, sizeof md))
        out.password = QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(md), int(length)).toBase64());
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return out;
}

} // namespace softphone::rtp
