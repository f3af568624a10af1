#pragma once
// Message encryption for Web Push (RFC 8291, "aes128gcm" of RFC 8188), one record.
// Kept apart from any transport: the push channel receiver and the Web Push
// sender both call it.

#include "EcKey.h"

#include <QByteArray>
#include <QString>

namespace softphone::crypto {

constexpr int kWebPushMaxBody = 4096;
constexpr int kWebPushMaxPlaintext = 3993; // 4096 - 86 header - 16 tag - 1 delimiter

enum class WebPushDecryptError {
    None,
    TooShort,      // shorter than the 86-byte header + 16-byte tag
    BadHeader,     // idlen != 65, rs < 18 or > 4096, or the key id is not a P-256 point
    BadRecordSize, // the ciphertext is larger than one record
    BadTag,        // AES-GCM authentication failed
    BadPadding,    // delimiter is not 0x02 or padding is not zeros
    KeyError,      // ECDH or HKDF failed
};
QString webPushDecryptErrorText(WebPushDecryptError error);

struct WebPushDecryptResult
{
    WebPushDecryptError error = WebPushDecryptError::None;
    QByteArray plaintext;
    bool ok() const { return error == WebPushDecryptError::None; }
};

// The receiver side: uaKey is the subscription's private key, authSecret its 16 bytes.
WebPushDecryptResult decryptWebPush(const QByteArray &body, const EcKey &uaKey,
                                    const QByteArray &authSecret);

struct WebPushEncryptParams
{
    // Fixed values for test vectors; random when empty/null.
    EcKey senderKey; // as_private
    QByteArray salt; // 16 bytes
    int recordSize = 4096;
};

// The sender side: uaPublic is the 65-byte p256dh, authSecret 16 bytes.
// Returns the whole body (header + one record); empty if plaintext > 3993 bytes or keys are bad.
QByteArray encryptWebPush(const QByteArray &plaintext, const QByteArray &uaPublic,
                          const QByteArray &authSecret, const WebPushEncryptParams &params = {});

} // namespace softphone::crypto
