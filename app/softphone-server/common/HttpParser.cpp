#include "HttpParser.h"

#include <limits>

namespace softphone::server {

namespace {
using Method = HttpRequest::Method;

HttpParser *self(http_parser *parser)
{
    return static_cast<HttpParser *>(parser->data);
}

Method methodOf(unsigned method)
{
    switch (method) {
    case HTTP_GET:
        return Method::Get;
    case HTTP_POST:
        return Method::Post;
    case HTTP_PUT:
        return Method::Put;
    case HTTP_DELETE:
        return Method::Delete;
    case HTTP_HEAD:
        return Method::Head;
    case HTTP_OPTIONS:
        return Method::Options;
    case HTTP_PATCH:
        return Method::Patch;
    case HTTP_CONNECT:
        return Method::Connect;
    case HTTP_TRACE:
        return Method::Trace;
    default:
        return Method::Unknown;
    }
}
} // namespace

const http_parser_settings HttpParser::s_settings = [] {
    http_parser_settings settings;
    http_parser_settings_init(&settings);
    settings.on_message_begin = &HttpParser::onMessageBegin;
    settings.on_url = &HttpParser::onUrl;
    settings.on_header_field = &HttpParser::onHeaderField;
    settings.on_header_value = &HttpParser::onHeaderValue;
    settings.on_headers_complete = &HttpParser::onHeadersComplete;
    settings.on_body = &HttpParser::onBody;
    settings.on_message_complete = &HttpParser::onMessageComplete;
    return settings;
}();

HttpParser::HttpParser(const HttpLimits &limits)
    : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
}

void HttpParser::setPeer(const QHostAddress &address, bool tls)
{
    m_peer = address;
    m_tls = tls;
}

void HttpParser::reset()
{
    m_state = State::NeedMore;
    m_request = HttpRequest();
    m_target.clear();
    m_headBytes = 0;
    m_started = m_headDone = m_inValue = m_continue = m_keepAlive = false;
    // The parser paused itself after the last request; after an error it starts over.
    if (HTTP_PARSER_ERRNO(&m_parser) == HPE_PAUSED) {
        http_parser_pause(&m_parser, 0);
    } else if (HTTP_PARSER_ERRNO(&m_parser) != HPE_OK) {
        http_parser_init(&m_parser, HTTP_REQUEST);
        m_parser.data = this;
    }
}

qsizetype HttpParser::feed(const char *data, qsizetype size)
{
    if (m_state != State::NeedMore || size <= 0)
        return 0;
    qsizetype n = size;
    if (!m_headDone) {
        // Never hand the parser more head than the limit: what it buffers is ours.
        if (m_headBytes >= m_limits.maxHeadBytes) {
            refuse(431, QStringLiteral("head_too_large"),
                   QStringLiteral("the request line and headers are over %1 bytes")
                       .arg(m_limits.maxHeadBytes));
            return 0;
        }
        n = std::min(n, m_limits.maxHeadBytes - m_headBytes);
    }
    const bool headBefore = m_headDone;
    const qsizetype used = qsizetype(http_parser_execute(&m_parser, &s_settings, data, size_t(n)));
    if (!headBefore && !m_headDone)
        m_headBytes += used;
    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    if (m_state == State::NeedMore && error != HPE_OK && error != HPE_PAUSED)
        refuse(400, QStringLiteral("bad_request"),
               QStringLiteral("malformed HTTP request: %1")
                   .arg(QString::fromLatin1(http_errno_description(error))));
    if (m_state == State::NeedMore && m_parser.upgrade && m_headDone) {
        // Upgrade or CONNECT: answered as a plain request, then the connection ends.
        m_state = State::Complete;
        m_keepAlive = false;
    }
    return used;
}

void HttpParser::refuse(int status, const QString &code, const QString &message)
{
    m_state = State::Refused;
    m_refusal = HttpRefusal{status, code, message};
    // http_parser asserts when a parser in an error state is paused.
    if (HTTP_PARSER_ERRNO(&m_parser) == HPE_OK)
        http_parser_pause(&m_parser, 1);
}

int HttpParser::onMessageBegin(http_parser *parser)
{
    HttpParser *p = self(parser);
    p->m_started = true;
    return 0;
}

int HttpParser::onUrl(http_parser *parser, const char *at, size_t length)
{
    self(parser)->m_target.append(at, qsizetype(length));
    return 0;
}

int HttpParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpParser *p = self(parser);
    auto &headers = p->m_request.m_headers;
    if (headers.isEmpty() || p->m_inValue) {
        if (headers.size() >= p->m_limits.maxHeaders) {
            p->refuse(431, QStringLiteral("too_many_headers"),
                      QStringLiteral("more than %1 header lines").arg(p->m_limits.maxHeaders));
            return 0;
        }
        headers.append(QPair<QByteArray, QByteArray>());
        p->m_inValue = false;
    }
    headers.last().first.append(at, qsizetype(length));
    return 0;
}

int HttpParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpParser *p = self(parser);
    p->m_inValue = true;
    if (!p->m_request.m_headers.isEmpty())
        p->m_request.m_headers.last().second.append(at, qsizetype(length));
    return 0;
}

bool HttpParser::buildHead()
{
    HttpRequest &r = m_request;
    for (auto &header : r.m_headers)
        header.second = header.second.trimmed();
    r.m_method = methodOf(m_parser.method);
    r.m_remoteAddress = m_peer;
    QUrl url = QUrl::fromEncoded(m_target, QUrl::StrictMode);
    if (!url.isValid())
        return false;
    if (url.scheme().isEmpty()) {
        url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
        const QByteArray host = r.value("Host");
        if (!host.isEmpty())
            url.setAuthority(QString::fromLatin1(host), QUrl::StrictMode);
    }
    r.m_url = url;
    return true;
}

int HttpParser::onHeadersComplete(http_parser *parser)
{
    HttpParser *p = self(parser);
    p->m_headDone = true;
    if (parser->http_major != 1) {
        p->refuse(505, QStringLiteral("http_version"), QStringLiteral("only HTTP/1.x is served"));
        return 0;
    }
    if (!p->buildHead()) {
        p->refuse(400, QStringLiteral("bad_request"), QStringLiteral("malformed request target"));
        return 0;
    }
    p->m_maxBody = p->m_bodyLimit ? p->m_bodyLimit(p->m_request) : p->m_limits.maxBody;
    const bool declared = (parser->flags & F_CONTENTLENGTH) && !(parser->flags & F_CHUNKED);
    if (declared && parser->content_length > quint64(p->m_maxBody)) {
        // Refused from the head: not one byte of the body is read.
        p->refuse(413, QStringLiteral("too_large"),
                  QStringLiteral("the body is over %1 bytes").arg(p->m_maxBody));
        return 0;
    }
    if (declared)
        p->m_request.m_body.reserve(qsizetype(parser->content_length));
    p->m_continue = p->m_request.value("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    return 0;
}

int HttpParser::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpParser *p = self(parser);
    QByteArray &body = p->m_request.m_body;
    if (qsizetype(length) > p->m_maxBody - body.size()) {
        p->refuse(413, QStringLiteral("too_large"),
                  QStringLiteral("the body is over %1 bytes").arg(p->m_maxBody));
        return 0;
    }
    body.append(at, qsizetype(length));
    return 0;
}

int HttpParser::onMessageComplete(http_parser *parser)
{
    HttpParser *p = self(parser);
    if (p->m_state != State::NeedMore)
        return 0;
    p->m_state = State::Complete;
    p->m_keepAlive = http_should_keep_alive(parser) != 0 && !parser->upgrade;
    // One request at a time: what follows waits for reset().
    http_parser_pause(parser, 1);
    return 0;
}

HttpParseResult parseHttpRequest(QByteArrayView bytes, const HttpLimits &limits)
{
    HttpParser parser(limits);
    HttpParseResult result;
    while (parser.state() == HttpParser::State::NeedMore && result.consumed < bytes.size()) {
        const qsizetype used =
            parser.feed(bytes.data() + result.consumed, bytes.size() - result.consumed);
        result.consumed += used;
        if (used == 0 && parser.state() == HttpParser::State::NeedMore)
            break;
    }
    if (parser.state() == HttpParser::State::Complete)
        result.request = parser.takeRequest();
    else if (parser.state() == HttpParser::State::Refused)
        result.refusal = parser.refusal();
    return result;
}

} // namespace softphone::server
