// libFuzzer: the application server opens sealed push data that any caller can
// hand it (docs/protocol.md "Push registration"). The first byte picks the mode:
// - 0 mod 3: the rest is opened as it stands: never a crash, a refusal says why;
// - 1 mod 3: the rest is sealed to the server key and must open to exactly the
//   rest (or sealing refuses it as too large, saying why);
// - 2 mod 3: the rest is sealed, then one bit of the sealed bytes is flipped:
//   it must never open (the header is associated data, the body is GCM's).
#include "crypto/Base64Url.h"
#include "crypto/SealedPushData.h"

#include <cstddef>
#include <cstdint>

using namespace softphone;
using namespace softphone::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const EcKey key =
        *EcKey::fromPrivateRaw(*fromBase64Url("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"));
    if (size == 0)
        return 0;
    const QByteArray rest =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    QString why;
    switch (data[0] % 3) {
    case 0: {
        const auto opened = openSealedPushData(key, rest, &why);
        if (!opened && why.isEmpty())
            __builtin_trap();
        break;
    }
    case 1: {
        const QByteArray sealed = sealPushData(key, rest, 1024, &why);
        if (sealed.isEmpty()) {
            if (why.isEmpty() || rest.size() + kSealedPushDataOverhead <= 1024)
                __builtin_trap(); // only too large a plaintext is refused
            break;
        }
        const auto opened = openSealedPushData(key, sealed, &why);
        if (!opened || *opened != rest || sealed.size() > 1024)
            __builtin_trap();
        break;
    }
    default: {
        QByteArray sealed = sealPushData(key, rest, 1024, &why);
        if (sealed.isEmpty())
            break;
        const qsizetype bit = qsizetype(size * 7919) % (sealed.size() * 8);
        sealed[bit / 8] = char(sealed[bit / 8] ^ (1 << (bit % 8)));
        if (openSealedPushData(key, sealed, &why))
            __builtin_trap();
        break;
    }
    }
    return 0;
}
