#include "PasswordHash.h"

#include "Base64Url.h"
#include "OpenSslPtr.h"
#include "Random.h"

#include <QStringList>
#include <optional>

#include <openssl/crypto.h>

namespace softphone::crypto {

namespace {

constexpr int kSaltSize = 16;
constexpr int kHashSize = 32;
// Bounds on stored parameters, so a tampered record cannot make us allocate gigabytes.
constexpr quint64 kMaxN = quint64(1) << 18;
constexpr quint32 kMaxR = 32;
constexpr quint32 kMaxP = 16;
constexpr quint64 kMaxMem = quint64(1) << 29; // 512 MiB (128 * r * N); today we need 128

QString record(const ScryptCost &cost, const QByteArray &salt, const QByteArray &hash)
{
    return QStringLiteral("scrypt$%1$%2$%3$%4$%5")
        .arg(cost.n)
        .arg(cost.r)
        .arg(cost.p)
        .arg(QString::fromLatin1(toBase64Url(salt)), QString::fromLatin1(toBase64Url(hash)));
}

struct Parsed
{
    ScryptCost cost;
    QByteArray salt;
    QByteArray hash;
};

std::optional<Parsed> parse(const QString &stored)
{
    const QStringList parts = stored.split(QLatin1Char('$'));
    if (parts.size() != 6 || parts[0] != QLatin1String("scrypt"))
        return std::nullopt;
    bool okN = false, okR = false, okP = false;
    const ScryptCost cost{parts[1].toULongLong(&okN), parts[2].toUInt(&okR), parts[3].toUInt(&okP)};
    const quint64 n = cost.n;
    if (!okN || !okR || !okP || n < 2 || n > kMaxN || (n & (n - 1)) != 0 || cost.r == 0 ||
        cost.r > kMaxR || cost.p == 0 || cost.p > kMaxP)
        return std::nullopt;
    const auto salt = fromBase64Url(parts[4].toLatin1());
    const auto hash = fromBase64Url(parts[5].toLatin1());
    if (!salt || !hash || salt->size() < 8 || hash->size() < 16 || hash->size() > 64)
        return std::nullopt;
    return Parsed{cost, *salt, *hash};
}

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

QString hashPassword(const QByteArray &password, const ScryptCost &cost)
{
    const QByteArray salt = randomBytes(kSaltSize);
    const QByteArray hash = scrypt(password, salt, cost.n, cost.r, cost.p, kHashSize);
    if (hash.isEmpty())
        return {};
    return record(cost, salt, hash);
}

bool verifyPassword(const QByteArray &password, const QString &stored)
{
    const auto parsed = parse(stored);
    if (!parsed)
        return false;
    const ScryptCost &c = parsed->cost;
    const QByteArray actual =
        scrypt(password, parsed->salt, c.n, c.r, c.p, int(parsed->hash.size()));
    return actual.size() == parsed->hash.size() &&
           CRYPTO_memcmp(actual.constData(), parsed->hash.constData(), size_t(actual.size())) == 0;
}

bool needsRehash(const QString &stored, const ScryptCost &cost)
{
    const auto parsed = parse(stored);
    return !parsed || !(parsed->cost == cost);
}

QString unmatchableHash(const ScryptCost &cost)
{
    return record(cost, randomBytes(kSaltSize), randomBytes(kHashSize));
}

} // namespace softphone::crypto
