#include "RtpLoss.h"

#include "NetworkNamespaces.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <climits>
#include <unistd.h>

namespace softphone::test {

namespace {

bool nft(const QString &script, QString *error = nullptr, QByteArray *output = nullptr)
{
    return NetworkNamespaces::runHost({QStringLiteral("nft"), script}, error, output);
}

// The inodes of this process's sockets ("socket:[N]" links in /proc/self/fd).
QSet<QByteArray> ownSocketInodes()
{
    QSet<QByteArray> inodes;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        char target[PATH_MAX];
        const QByteArray path = fds.filePath(fd).toLocal8Bit();
        const ssize_t n = ::readlink(path.constData(), target, sizeof target - 1);
        if (n <= 0)
            continue;
        const QByteArray link(target, int(n));
        if (link.startsWith("socket:[") && link.endsWith(']'))
            inodes.insert(link.mid(8, link.size() - 9));
    }
    return inodes;
}

} // namespace

QList<quint16> ownUdpPorts()
{
    const QSet<QByteArray> inodes = ownSocketInodes();
    QList<quint16> ports;
    for (const char *table : {"/proc/net/udp", "/proc/net/udp6"}) {
        QFile file(QString::fromLatin1(table));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        file.readLine(); // the header
        // "sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ..."
        for (int line = 0; line < 100000 && !file.atEnd(); ++line) {
            const QList<QByteArray> fields = file.readLine().simplified().split(' ');
            if (fields.size() < 10 || !inodes.contains(fields.at(9)))
                continue;
            bool ok = false;
            const uint port = fields.at(1).split(':').value(1).toUInt(&ok, 16);
            if (ok && port > 0 && port <= 0xffff && !ports.contains(quint16(port)))
                ports.append(quint16(port));
        }
    }
    return ports;
}

RtpLoss::RtpLoss()
    : m_table(NetworkNamespaces::ownNftTable(QStringLiteral("softphone_rtploss_")))
{}

RtpLoss::~RtpLoss()
{
    stop();
}

bool RtpLoss::available(QString *why)
{
    if (::geteuid() != 0) {
        *why = QStringLiteral("needs root for nftables");
        return false;
    }
    return nft(QStringLiteral("list tables"), why);
}

bool RtpLoss::start(const QList<quint16> &ports, int percent, QString *error)
{
    stop();
    if (ports.isEmpty()) {
        if (error)
            *error = QStringLiteral("no UDP ports to drop packets between");
        return false;
    }
    QStringList set;
    for (quint16 port : ports)
        set << QString::number(port);
    const QString portSet =
        QStringLiteral("{ ") + set.join(QStringLiteral(", ")) + QStringLiteral(" }");
    // @th,64,2: the RTP version (2); @th,73,7: the payload type after the marker bit.
    const QString script =
        QStringLiteral("add table inet %1; "
                       "add chain inet %1 in { type filter hook input priority 0; }; "
                       "add rule inet %1 in udp sport %2 udp dport %2 @th,64,2 2 @th,73,7 111 "
                       "numgen random mod 100 < %3 counter drop")
            .arg(m_table, portSet)
            .arg(percent);
    m_started = nft(script, error); // one batch: all of it or nothing
    return m_started;
}

void RtpLoss::stop()
{
    if (!m_started)
        return;
    m_started = false;
    QString error;
    if (!nft(QStringLiteral("delete table inet ") + m_table, &error))
        qWarning("could not remove nftables table %s: %s", qPrintable(m_table), qPrintable(error));
}

qint64 RtpLoss::dropped() const
{
    QByteArray rules;
    if (!m_started || !nft(QStringLiteral("list table inet ") + m_table, nullptr, &rules))
        return -1;
    static const QRegularExpression counter(QStringLiteral("counter packets (\\d+)"));
    const QRegularExpressionMatch match = counter.match(QString::fromLatin1(rules));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

} // namespace softphone::test
