#include "TcpPortCut.h"

#include "NetworkNamespaces.h"
#include "RtpLoss.h"

#include <QRegularExpression>

namespace softphone::test {

namespace {

bool nft(const QString &script, QString *error = nullptr, QByteArray *output = nullptr)
{
    return NetworkNamespaces::runHost({QStringLiteral("nft"), script}, error, output);
}

} // namespace

TcpPortCut::TcpPortCut()
    : m_table(NetworkNamespaces::ownNftTable(QStringLiteral("softphone_tcpcut_")))
{}

TcpPortCut::~TcpPortCut()
{
    stop();
}

bool TcpPortCut::available(QString *why)
{
    return RtpLoss::available(why);
}

bool TcpPortCut::start(quint16 port, QString *error)
{
    stop();
    // On the way in only, both directions (on loopback every packet comes in on lo):
    // the sender's kernel sent it, and waits for an acknowledgement that never comes,
    // as with a lost one (a drop on the output hook would fail its send with EPERM).
    const QString script =
        QStringLiteral("add table inet %1; "
                       "add chain inet %1 in { type filter hook input priority 0; }; "
                       "add rule inet %1 in iifname lo tcp dport %2 counter drop; "
                       "add rule inet %1 in iifname lo tcp sport %2 counter drop")
            .arg(m_table)
            .arg(port);
    m_started = nft(script, error); // one batch: all of it or nothing
    return m_started;
}

void TcpPortCut::stop()
{
    if (!m_started)
        return;
    m_started = false;
    QString error;
    if (!nft(QStringLiteral("delete table inet ") + m_table, &error))
        qWarning("could not remove nftables table %s: %s", qPrintable(m_table), qPrintable(error));
}

qint64 TcpPortCut::dropped() const
{
    QByteArray rules;
    if (!m_started || !nft(QStringLiteral("list table inet ") + m_table, nullptr, &rules))
        return -1;
    static const QRegularExpression counter(QStringLiteral("counter packets (\\d+)"));
    qint64 total = 0;
    for (auto it = counter.globalMatch(QString::fromLatin1(rules)); it.hasNext();)
        total += it.next().captured(1).toLongLong();
    return total;
}

} // namespace softphone::test
