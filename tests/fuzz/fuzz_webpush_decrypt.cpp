// libFuzzer: decryptWebPush on arbitrary bodies must never crash or leak.
// The key and auth secret are the RFC 8291 Appendix A ones, so a seed corpus of
// the vector body (and its mutations) reaches the AES-GCM and padding code.
#include "crypto/Base64Url.h"
#include "crypto/WebPushEncryption.h"

#include <cstddef>
#include <cstdint>

using namespace softphone;
using namespace softphone::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const EcKey uaKey =
        *EcKey::fromPrivateRaw(*fromBase64Url("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"));
    static const QByteArray auth = *fromBase64Url("BTBZMqHH6r4Tts7J_aSIgg");
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto result = decryptWebPush(body, uaKey, auth);
    if (!result.ok() && !result.plaintext.isEmpty())
        __builtin_trap(); // a failure must never hand out bytes
    return 0;
}
