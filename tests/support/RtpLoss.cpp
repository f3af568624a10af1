#include "RtpLoss.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QStringList>

#include <climits>
#include <unistd.h>

namespace softphone::test {

namespace {

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
    : m_table(QStringLiteral("softphone_rtploss_"))
{}

RtpLoss::~RtpLoss() = default;

bool RtpLoss::available(QString *why)
{
    return OwnNftTable::available(why);
}

bool RtpLoss::start(const QList<quint16> &ports, int percent, QString *error)
{
    if (ports.isEmpty()) {
        m_table.remove();
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
    return m_table.load(
        QStringLiteral("add chain inet %1 in { type filter hook input priority 0; }; "
                       "add rule inet %1 in udp sport %2 udp dport %2 @th,64,2 2 @th,73,7 111 "
                       "numgen random mod 100 < %3 counter drop")
            .arg(m_table.name(), portSet)
            .arg(percent),
        error);
}

void RtpLoss::stop()
{
    m_table.remove();
}

qint64 RtpLoss::dropped() const
{
    return m_table.counted();
}

} // namespace softphone::test
