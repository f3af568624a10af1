// libFuzzer: NotificationResult::fromPayload, the parser a device runs on every
// relayed push. The first input byte picks the mode:
// - even: the rest is used as the payload as it stands (forged or garbage
//   tokens): it must never be valid, since nothing here holds the key;
// - odd: the rest is a claims object that the target signs with the payload
//   key, so the claim checks behind the signature (types, ids, deadlines,
//   headers, the expected user) get fuzzed too; a result must then be
//   consistent: valid with a kind and an id, or invalid with a reason.
#include "client/NotificationResult.h"
#include "crypto/Base64Url.h"
#include "crypto/EcKey.h"

#include <QDateTime>
#include <QTimeZone>

#include <cstddef>
#include <cstdint>

using namespace softphone;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const crypto::EcKey key = crypto::EcKey::generate();
    static const QDateTime now = QDateTime::fromSecsSinceEpoch(1800000000, QTimeZone::utc());
    if (size == 0)
        return 0;
    const QByteArray rest =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    QString payload;
    const bool signedByUs = (data[0] & 1) != 0;
    if (signedByUs) {
        const QByteArray input =
            toBase64Url(QByteArrayLiteral("{\"alg\":\"ES256\",\"typ\":\"sp-push\"}")) + '.' +
            toBase64Url(rest);
        payload = QString::fromLatin1(input + '.' + toBase64Url(key.signEs256(input)));
    } else {
        payload = QString::fromUtf8(rest);
    }
    const auto result =
        client::NotificationResult::fromPayload(payload, key, QStringLiteral("bob"), now);
    if (!signedByUs && result.isValid())
        __builtin_trap(); // a fresh key each run: no input can carry its signature
    if (result.isValid() == !result.error().isEmpty())
        __builtin_trap(); // valid exactly when there is no reason
    if (result.isValid() && (result.localUserId() != QLatin1String("bob") ||
                             (result.callId().isEmpty() && result.messageId().isEmpty())))
        __builtin_trap(); // a valid result is for us and names what it is about
    (void)result.toJson();
    return 0;
}
