// libFuzzer: the HTTP port's request parser (common/HttpParser on Debian's
// http_parser), which reads the head of every request to the application
// server and the Web Push endpoint before any authentication. The first byte
// sets the size of the pieces the bytes arrive in (as TCP may cut them); the
// parser must never crash, never hand out a request over its limits, and a
// refusal is one of the documented answers.
#include "softphone-server/common/HttpParser.h"

#include <cstddef>
#include <cstdint>

using namespace softphone::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const HttpLimits limits = [] {
        HttpLimits l;
        l.maxHeadBytes = 2048; // small limits, so the fuzzer reaches them
        l.maxHeaders = 16;
        l.maxBody = 512;
        return l;
    }();
    if (size == 0)
        return 0;
    const qsizetype piece = qsizetype(data[0] % 64) + 1;
    const char *bytes = reinterpret_cast<const char *>(data) + 1;
    qsizetype left = qsizetype(size) - 1;
    HttpParser parser(limits);
    for (int requests = 0; left > 0 && requests < 64;) {
        const qsizetype used = parser.feed(bytes, qMin(piece, left));
        if (used < 0 || used > qMin(piece, left))
            __builtin_trap();
        bytes += used;
        left -= used;
        if (parser.state() == HttpParser::State::Refused) {
            const int status = parser.refusal().status;
            if ((status != 400 && status != 413 && status != 431 && status != 505) ||
                parser.refusal().message.isEmpty())
                __builtin_trap();
            return 0;
        }
        if (parser.state() == HttpParser::State::Complete) {
            const HttpRequest request = parser.takeRequest();
            if (request.body().size() > limits.maxBody ||
                request.headers().size() > limits.maxHeaders)
                __builtin_trap();
            ++requests;
            if (!parser.keepAlive())
                return 0;
            parser.reset();
        } else if (used == 0) {
            return 0; // wants more than is left
        }
    }
    return 0;
}
