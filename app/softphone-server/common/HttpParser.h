#pragma once
// Reads HTTP/1.1 requests off a byte stream with node's http_parser (Debian's
// libhttp-parser, a small, long-fuzzed C parser) and holds each request to
// HttpLimits while it arrives: the head's size and header count before the head
// is complete, the declared Content-Length against the body limit before any
// body byte is taken, a chunked body as it grows. Memory per connection is
// therefore bounded by the limits, whatever the peer sends.
//
// One request at a time: after a complete request the parser stops, and the
// bytes after it (a pipelined request) stay with the caller until reset().

#include "HttpRequest.h"

#include <http_parser.h>

#include <QString>
#include <functional>
#include <optional>
#include <utility>

namespace softphone::server {

struct HttpRefusal
{
    int status = 400; // 400, 413, 431 or 505
    QString code;     // the JSON body's "error"
    QString message;
};

class HttpParser
{
public:
    enum class State { NeedMore, Complete, Refused };

    explicit HttpParser(const HttpLimits &limits);
    HttpParser(const HttpParser &) = delete;
    HttpParser &operator=(const HttpParser &) = delete;

    // Decides the body limit of a request from its head (its route); the default
    // limit applies when unset.
    void setBodyLimit(std::function<qsizetype(const HttpRequest &)> bodyLimit)
    {
        m_bodyLimit = std::move(bodyLimit);
    }
    void setPeer(const QHostAddress &address, bool tls);

    // Parses as much of data as belongs to the current request; returns the bytes used.
    qsizetype feed(const char *data, qsizetype size);
    State state() const { return m_state; }
    // Some byte of a request arrived (and it is not complete yet).
    bool inProgress() const { return m_started && m_state == State::NeedMore; }
    // The head asked for "Expect: 100-continue" and the body is acceptable: true once.
    bool takeContinue() { return std::exchange(m_continue, false); }

    // State::Complete: the request, and whether the connection may carry another one.
    HttpRequest takeRequest() { return std::move(m_request); }
    bool keepAlive() const { return m_keepAlive; }
    // State::Refused: what to answer (the connection is closed afterwards).
    const HttpRefusal &refusal() const { return m_refusal; }

    // Ready for the next request of the connection (after Complete).
    void reset();

private:
    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings s_settings;

    void refuse(int status, const QString &code, const QString &message);
    bool buildHead();

    const HttpLimits &m_limits;
    std::function<qsizetype(const HttpRequest &)> m_bodyLimit;
    http_parser m_parser;
    State m_state = State::NeedMore;
    HttpRequest m_request;
    HttpRefusal m_refusal;
    QHostAddress m_peer;
    bool m_tls = false;
    QByteArray m_target;       // the request target as sent
    qsizetype m_headBytes = 0; // fed to the parser since the request began
    qsizetype m_maxBody = 0;
    bool m_started = false;
    bool m_headDone = false;
    bool m_inValue = false;
    bool m_continue = false;
    bool m_keepAlive = false;
};

struct HttpParseResult
{
    std::optional<HttpRequest> request; // a complete request
    std::optional<HttpRefusal> refusal; // what the server would answer instead
    qsizetype consumed = 0;             // bytes that belonged to it
};

// The first request in `bytes` under `limits` (head and body), exactly as a
// connection of the HTTP port parses it. Neither set: the request is incomplete.
// The entry point of the HTTP front's fuzz target.
HttpParseResult parseHttpRequest(QByteArrayView bytes, const HttpLimits &limits = HttpLimits());

} // namespace softphone::server
