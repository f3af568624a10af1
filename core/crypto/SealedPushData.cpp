#include "SealedPushData.h"

#include "SymmetricCrypto.h"

namespace softphone::crypto {

namespace {

constexpr int kPointSize = 65;
constexpr int kKeySize = 32;
constexpr int kNonceSize = 12;

struct SealKeys
{
    QByteArray key;
    QByteArray nonce;
};

// The ephemeral key is fresh for every seal, so key and nonce never repeat.
std::optional<SealKeys> deriveSealKeys(const QByteArray &ecdh, const QByteArray &ephemeralPoint,
                                       const QByteArray &serverPoint)
{
    if (ecdh.isEmpty())
        return std::nullopt;
    const QByteArray info =
        QByteArray("softphone sealed push data v1", 30) + ephemeralPoint + serverPoint;
    const QByteArray okm = hkdfSha256(QByteArray(), ecdh, info, kKeySize + kNonceSize);
    if (okm.size() != kKeySize + kNonceSize)
        return std::nullopt;
    return SealKeys{okm.left(kKeySize), okm.mid(kKeySize)};
}

void say(QString *why, const QString &text)
{
    if (why)
        *why = text;
}

} // namespace

QByteArray sealedPushDataKeyId(const EcKey &key)
{
    const QByteArray point = key.publicRaw();
    return point.isEmpty() ? QByteArray() : sha256(point).left(kSealedPushDataKeyIdSize);
}

QByteArray sealPushData(const EcKey &serverPublic, const QByteArray &plaintext, int maxSize,
                        QString *why)
{
    if (plaintext.size() + kSealedPushDataOverhead > maxSize) {
        say(why, QStringLiteral("push data of %1 bytes is too long to seal in %2 bytes")
                     .arg(plaintext.size())
                     .arg(maxSize));
        return {};
    }
    const QByteArray serverPoint = serverPublic.publicRaw();
    const EcKey ephemeral = EcKey::generate();
    const QByteArray ephemeralPoint = ephemeral.publicRaw();
    if (serverPoint.size() != kPointSize || ephemeralPoint.size() != kPointSize) {
        say(why, QStringLiteral("no usable push-data key of the application server"));
        return {};
    }
    const auto keys =
        deriveSealKeys(ephemeral.deriveSharedSecret(serverPublic), ephemeralPoint, serverPoint);
    const QByteArray header =
        char(kSealedPushDataVersion) + sealedPushDataKeyId(serverPublic) + ephemeralPoint;
    const QByteArray sealed =
        keys ? aesGcmEncrypt(keys->key, keys->nonce, plaintext, header) : QByteArray();
    if (sealed.isEmpty()) {
        say(why, QStringLiteral("sealing the push data failed"));
        return {};
    }
    return header + sealed;
}

std::optional<QByteArray> sealedPushDataKeyIdOf(const QByteArray &sealed)
{
    if (sealed.size() < kSealedPushDataOverhead || quint8(sealed.at(0)) != kSealedPushDataVersion)
        return std::nullopt;
    return sealed.mid(1, kSealedPushDataKeyIdSize);
}

std::optional<QByteArray> openSealedPushData(const EcKey &key, const QByteArray &sealed,
                                             QString *why)
{
    if (sealed.size() < kSealedPushDataOverhead) {
        say(why, QStringLiteral("too short for sealed push data"));
        return std::nullopt;
    }
    if (quint8(sealed.at(0)) != kSealedPushDataVersion) {
        say(why, QStringLiteral("unknown sealed push data version %1").arg(quint8(sealed.at(0))));
        return std::nullopt;
    }
    if (!key.hasPrivate() || sealed.mid(1, kSealedPushDataKeyIdSize) != sealedPushDataKeyId(key)) {
        say(why, QStringLiteral("sealed to another key"));
        return std::nullopt;
    }
    const QByteArray ephemeralPoint = sealed.mid(1 + kSealedPushDataKeyIdSize, kPointSize);
    // fromPublicRaw refuses points off the curve (invalid-curve attacks).
    const auto ephemeral = EcKey::fromPublicRaw(ephemeralPoint);
    if (!ephemeral) {
        say(why, QStringLiteral("the ephemeral key is not a P-256 point"));
        return std::nullopt;
    }
    const auto keys =
        deriveSealKeys(key.deriveSharedSecret(*ephemeral), ephemeralPoint, key.publicRaw());
    const QByteArray header = sealed.left(kSealedPushDataHeaderSize);
    const auto plain =
        keys ? aesGcmDecrypt(keys->key, keys->nonce, sealed.mid(kSealedPushDataHeaderSize), header)
             : std::nullopt;
    if (!plain) {
        say(why, QStringLiteral("the sealed push data does not authenticate"));
        return std::nullopt;
    }
    return plain;
}

} // namespace softphone::crypto
