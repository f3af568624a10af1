#include "AccountStore.h"

#include "crypto/Random.h"
#include "crypto/SymmetricCrypto.h"

#include <QCryptographicHash>
#include <algorithm>

namespace softphone::server::appserver {

AccountStore::~AccountStore() = default;

crypto::ScryptCost passwordCost(const ServerOptions &options, bool *weak)
{
    bool ok = false;
    const int log2n = options.settings.value(QStringLiteral("appserver.scrypt_log2n")).toInt(&ok);
    crypto::ScryptCost cost = crypto::kPasswordCost;
    if (ok && log2n >= 10 && log2n <= 18)
        cost.n = quint64(1) << log2n;
    if (weak)
        *weak = cost.n < crypto::kPasswordCost.n;
    return cost;
}

QString weakPasswordReason(const QString &user, const QString &password)
{
    if (password.trimmed().isEmpty())
        return QStringLiteral("the password is empty");
    if (password.toUcs4().size() < kMinPasswordLength)
        return QStringLiteral("the password is shorter than %1 characters").arg(kMinPasswordLength);
    if (password.compare(user, Qt::CaseInsensitive) == 0)
        return QStringLiteral("the password is the user name");
    return {};
}

QByteArray hashRefreshToken(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

bool isValidRefreshRequestId(const QString &requestId)
{
    if (requestId.size() < 16 || requestId.size() > 64)
        return false;
    return std::all_of(requestId.begin(), requestId.end(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ||
               c == u'_' || c == u'-';
    });
}

QByteArray hashRefreshRequestId(const QString &requestId)
{
    return crypto::sha256(QByteArrayLiteral("softphone refresh request id ") + requestId.toUtf8());
}

namespace {
constexpr int kRetryNonceSize = 12;
const QByteArray kRetryInfo = QByteArrayLiteral("softphone refresh retry v1");

QByteArray retryKey(const QString &oldToken, const QString &requestId)
{
    return crypto::hkdfSha256(requestId.toUtf8(), oldToken.toUtf8(), kRetryInfo, 32);
}
} // namespace

QByteArray sealRefreshRetry(const QString &oldToken, const QString &requestId,
                            const QString &newToken)
{
    const QByteArray nonce = crypto::randomBytes(kRetryNonceSize);
    const QByteArray sealed =
        crypto::aesGcmEncrypt(retryKey(oldToken, requestId), nonce, newToken.toUtf8(), kRetryInfo);
    return sealed.isEmpty() ? QByteArray() : nonce + sealed;
}

std::optional<QString> openRefreshRetry(const QString &oldToken, const QString &requestId,
                                        const QByteArray &sealed)
{
    if (sealed.size() <= kRetryNonceSize)
        return std::nullopt;
    const auto plain =
        crypto::aesGcmDecrypt(retryKey(oldToken, requestId), sealed.left(kRetryNonceSize),
                              sealed.mid(kRetryNonceSize), kRetryInfo);
    if (!plain)
        return std::nullopt;
    return QString::fromUtf8(*plain);
}

} // namespace softphone::server::appserver
