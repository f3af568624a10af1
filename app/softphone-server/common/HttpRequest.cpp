#include "HttpRequest.h"

namespace softphone::server {

QByteArray HttpRequest::value(const QByteArray &key) const
{
    for (const auto &[name, value] : m_headers)
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace softphone::server
