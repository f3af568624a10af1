#include "WebPushEncryption.h"

#include "Random.h"
#include "SymmetricCrypto.h"

#include <QtEndian>

namespace softphone::crypto {

namespace {

constexpr int kSaltSize = 16;
constexpr int kAuthSize = 16;
constexpr int kKeySize = 65;
constexpr int kHeaderSize = kSaltSize + 4 + 1 + kKeySize; // 86
constexpr int kTagSize = kAesGcmTagSize;
constexpr int kCekSize = 16;
constexpr int kNonceSize = 12;
constexpr quint32 kMinRecordSize = 18; // tag + delimiter + at least one byte, RFC 8188 §2
// rs is not authenticated. A Web Push body never exceeds 4096 bytes (RFC 8291 §4), and
// every sender we know uses rs = 4096, so a larger rs only comes from a damaged header.
constexpr quint32 kMaxRecordSize = kWebPushMaxBody;
constexpr char kLastRecordDelimiter = 0x02;

struct ContentKeys
{
    QByteArray cek;
    QByteArray nonce;
    bool ok() const { return cek.size() == kCekSize && nonce.size() == kNonceSize; }
};

// RFC 8291 §3.3-3.4 and RFC 8188 §2.2 (the info strings end in a zero byte).
ContentKeys deriveKeys(const QByteArray &ecdhSecret, const QByteArray &authSecret,
                       const QByteArray &uaPublic, const QByteArray &asPublic,
                       const QByteArray &salt)
{
    const QByteArray keyInfo = QByteArray("WebPush: info", 14) + uaPublic + asPublic;
    const QByteArray ikm = hkdfSha256(authSecret, ecdhSecret, keyInfo, 32);
    ContentKeys keys;
    keys.cek = hkdfSha256(salt, ikm, QByteArray("Content-Encoding: aes128gcm", 28), kCekSize);
    keys.nonce = hkdfSha256(salt, ikm, QByteArray("Content-Encoding: nonce", 24), kNonceSize);
    return keys;
}

} // namespace

QString webPushDecryptErrorText(WebPushDecryptError error)
{
    switch (error) {
    case WebPushDecryptError::None:
        return QStringLiteral("no error");
    case WebPushDecryptError::TooShort:
        return QStringLiteral("message shorter than the aes128gcm header and tag");
    case WebPushDecryptError::BadHeader:
        return QStringLiteral("malformed aes128gcm header");
    case WebPushDecryptError::BadRecordSize:
        return QStringLiteral("message is longer than one record");
    case WebPushDecryptError::BadTag:
        return QStringLiteral("authentication tag does not verify");
    case WebPushDecryptError::BadPadding:
        return QStringLiteral("bad padding delimiter or non-zero padding");
    case WebPushDecryptError::KeyError:
        return QStringLiteral("key agreement failed");
    }
    return QStringLiteral("unknown error");
}

WebPushDecryptResult decryptWebPush(const QByteArray &body, const EcKey &uaKey,
                                    const QByteArray &authSecret)
{
    WebPushDecryptResult result;
    auto fail = [&result](WebPushDecryptError e) {
        result.error = e;
        result.plaintext.clear();
        return result;
    };
    if (body.size() < kHeaderSize + kTagSize)
        return fail(WebPushDecryptError::TooShort);

    const QByteArray salt = body.left(kSaltSize);
    const quint32 rs = qFromBigEndian<quint32>(body.constData() + kSaltSize);
    const int idlen = quint8(body.at(kSaltSize + 4));
    if (idlen != kKeySize || rs < kMinRecordSize || rs > kMaxRecordSize)
        return fail(WebPushDecryptError::BadHeader);
    const QByteArray asPublicRaw = body.mid(kSaltSize + 5, kKeySize);
    const auto asPublic = EcKey::fromPublicRaw(asPublicRaw);
    if (!asPublic)
        return fail(WebPushDecryptError::BadHeader);

    const QByteArray record = body.mid(kHeaderSize);
    // Web Push messages are a single record; more would need per-record nonces we never use.
    if (quint32(record.size()) > rs)
        return fail(WebPushDecryptError::BadRecordSize);

    if (authSecret.size() != kAuthSize || !uaKey.hasPrivate())
        return fail(WebPushDecryptError::KeyError);
    const QByteArray ecdh = uaKey.deriveSharedSecret(*asPublic);
    if (ecdh.isEmpty())
        return fail(WebPushDecryptError::KeyError);
    const ContentKeys keys = deriveKeys(ecdh, authSecret, uaKey.publicRaw(), asPublicRaw, salt);
    if (!keys.ok())
        return fail(WebPushDecryptError::KeyError);

    const auto opened = aesGcmDecrypt(keys.cek, keys.nonce, record);
    if (!opened)
        return fail(WebPushDecryptError::BadTag);
    const QByteArray &plain = *opened;

    // RFC 8188 §2: plaintext || delimiter || zeros; the only record is the last, so 0x02.
    qsizetype end = plain.size();
    while (end > 0 && plain.at(end - 1) == 0)
        --end;
    if (end == 0 || plain.at(end - 1) != kLastRecordDelimiter)
        return fail(WebPushDecryptError::BadPadding);
    result.plaintext = plain.left(end - 1);
    return result;
}

QByteArray encryptWebPush(const QByteArray &plaintext, const QByteArray &uaPublic,
                          const QByteArray &authSecret, const WebPushEncryptParams &params)
{
    if (plaintext.size() > kWebPushMaxPlaintext || authSecret.size() != kAuthSize)
        return {};
    const quint32 rs = params.recordSize > 0 ? quint32(params.recordSize) : 0;
    if (rs < kMinRecordSize || rs > kMaxRecordSize || quint32(plaintext.size()) + 1 + kTagSize > rs)
        return {};
    const auto uaKey = EcKey::fromPublicRaw(uaPublic);
    if (!uaKey)
        return {};
    const EcKey sender = params.senderKey.isNull() ? EcKey::generate() : params.senderKey;
    const QByteArray salt = params.salt.isEmpty() ? randomBytes(kSaltSize) : params.salt;
    if (!sender.hasPrivate() || salt.size() != kSaltSize)
        return {};
    const QByteArray asPublic = sender.publicRaw();
    const QByteArray ecdh = sender.deriveSharedSecret(*uaKey);
    if (asPublic.size() != kKeySize || ecdh.isEmpty())
        return {};
    const ContentKeys keys = deriveKeys(ecdh, authSecret, uaPublic, asPublic, salt);
    if (!keys.ok())
        return {};

    const QByteArray sealed = aesGcmEncrypt(keys.cek, keys.nonce, plaintext + kLastRecordDelimiter);
    if (sealed.isEmpty())
        return {};

    QByteArray body;
    body.reserve(kHeaderSize + sealed.size());
    char rsBytes[4];
    qToBigEndian<quint32>(rs, rsBytes);
    body += salt;
    body.append(rsBytes, 4);
    body += char(kKeySize);
    body += asPublic;
    body += sealed;
    return body;
}

} // namespace softphone::crypto
