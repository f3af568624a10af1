#include "Random.h"

#include "Base64Url.h"
#include "OpenSslPtr.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace softphone::crypto {

QByteArray randomBytes(int count)
{
    if (count <= 0)
        return {};
    QByteArray out(count, Qt::Uninitialized);
    // Without entropy nothing we make is safe; continuing would hand out guessable secrets.
    if (RAND_bytes(ossl::bytes(out), count) != 1)
        std::abort();
    return out;
}

QString randomToken(int count)
{
    return QString::fromLatin1(toBase64Url(randomBytes(count)));
}

QString randomUuid()
{
    QByteArray b = randomBytes(16);
    b[6] = char((b[6] & 0x0f) | 0x40); // version 4
    b[8] = char((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    const QByteArray hex = b.toHex();
    return QString::fromLatin1(hex.mid(0, 8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' +
                               hex.mid(16, 4) + '-' + hex.mid(20, 12));
}

} // namespace softphone::crypto
