#pragma once
// "Another machine" for the --allow-insecure tests without leaving this one: a
// name /etc/hosts maps to 127.0.0.1 that is not "localhost" (the machine's own
// name). The clients do not resolve names for their plain-http rule, so to
// them it is another host; the kernel takes it to loopback, where the real
// server listens. Read from /etc/hosts directly: no DNS is ever asked.
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace softphone::test {

// Empty when /etc/hosts has no such name.
inline QString loopbackAlias()
{
    QFile hosts(QStringLiteral("/etc/hosts"));
    if (!hosts.open(QIODevice::ReadOnly))
        return {};
    static const QRegularExpression space(QStringLiteral("\\s+"));
    while (!hosts.atEnd()) {
        const QStringList fields = QString::fromLatin1(hosts.readLine())
                                       .section(QLatin1Char('#'), 0, 0)
                                       .split(space, Qt::SkipEmptyParts);
        if (fields.size() < 2 || fields.first() != QLatin1String("127.0.0.1"))
            continue;
        for (const QString &name : fields.mid(1))
            if (name != QLatin1String("localhost") && !name.contains(QLatin1Char('.')))
                return name;
    }
    return {};
}

} // namespace softphone::test
