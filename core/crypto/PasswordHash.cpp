#include "PasswordHash.h"

#include "Base64Url.h"
#include "OpenSslPtr.h"
#include "Random.h"

#include <QStringList>

#include <openssl/crypto.h>

namespace softphone::crypto {

namespace {

// N=2^15, r=8, p=1: about 32 MiB and 50-100 ms on a desktop core, the scrypt
// paper's interactive-login setting.
constexpr quint64 kDefaultN = quint64(1) << 15;
constexpr quint32 kDefaultR = 8;
constexpr quint32 kDefaultP = 1;
constexpr int kSaltSize = 16;
constexpr int kHashSize = 32;
// Bounds on stored parameters, so a tampered record cannot make us allocate gigabytes.
constexpr quint64 kMaxN = quint64(1) << 18;
constexpr quint32 kMaxR = 32;
constexpr quint32 kMaxP = 16;
constexpr quint64 kMaxMem = quint64(1) << 28; // 256 MiB; today we need 32

QByteArray scrypt(const QByteArray &password, const QByteArray &salt, quint64 n, quint32 r,
                  quint32 p, int length)
{
    ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
    if (!kdf)
        return {};
    ossl::KdfCtx ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return {};
    uint64_t maxMem = kMaxMem;
    uint64_t nv = n;
    uint32_t rv = r, pv = p;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_PASSWORD, const_cast<char *>(password.constData()), password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char *>(salt.constData()),
                                          salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &nv),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rv),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pv),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxMem),
        OSSL_PARAM_construct_end(),
    };
    QByteArray out(length, Qt::Uninitialized);
    if (EVP_KDF_derive(ctx.get(), ossl::bytes(out), size_t(length), params) != 1)
        return {};
    return out;
}

} // namespace

QString hashPassword(const QByteArray &password)
{
    const QByteArray salt = randomBytes(kSaltSize);
    const QByteArray hash = scrypt(password, salt, kDefaultN, kDefaultR, kDefaultP, kHashSize);
    if (hash.isEmpty())
        return {};
    return QStringLiteral("scrypt$%1$%2$%3$%4$%5")
        .arg(kDefaultN)
        .arg(kDefaultR)
        .arg(kDefaultP)
        .arg(QString::fromLatin1(toBase64Url(salt)), QString::fromLatin1(toBase64Url(hash)));
}

bool verifyPassword(const QByteArray &password, const QString &stored)
{
    const QStringList parts = stored.split(QLatin1Char('$'));
    if (parts.size() != 6 || parts[0] != QLatin1String("scrypt"))
        return false;
    bool okN = false, okR = false, okP = false;
    const quint64 n = parts[1].toULongLong(&okN);
    const quint32 r = parts[2].toUInt(&okR);
    const quint32 p = parts[3].toUInt(&okP);
    if (!okN || !okR || !okP || n < 2 || n > kMaxN || (n & (n - 1)) != 0 || r == 0 || r > kMaxR ||
        p == 0 || p > kMaxP)
        return false;
    const auto salt = fromBase64Url(parts[4].toLatin1());
    const auto expected = fromBase64Url(parts[5].toLatin1());
    if (!salt || !expected || salt->size() < 8 || expected->size() < 16 || expected->size() > 64)
        return false;
    const QByteArray actual = scrypt(password, *salt, n, r, p, int(expected->size()));
    return actual.size() == expected->size() &&
           CRYPTO_memcmp(actual.constData(), expected->constData(), size_t(actual.size())) == 0;
}

} // namespace softphone::crypto
