// libFuzzer: verifyJwt and decodeJwtUnverified on arbitrary tokens must never
// crash, and nothing not signed by our key may ever verify.
#include "crypto/Jwt.h"

#include <cstddef>
#include <cstdint>

using namespace softphone::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const EcKey key = EcKey::generate();
    const QString token = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    JwtVerifyOptions options;
    options.audience = QStringLiteral("calls");
    options.requireSubject = size % 2 == 0;
    if (verifyJwt(token, key, options).ok())
        __builtin_trap(); // the key is fresh each run: no input can carry its signature
    (void)decodeJwtUnverified(token);
    return 0;
}
