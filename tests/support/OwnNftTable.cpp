#include "OwnNftTable.h"

#include "NetworkNamespaces.h"

#include <QRegularExpression>

#include <algorithm>

#include <unistd.h>

namespace softphone::test {

namespace {

bool nft(const QString &script, QString *error = nullptr, QByteArray *output = nullptr)
{
    return NetworkNamespaces::runHost({QStringLiteral("nft"), script}, error, output);
}

} // namespace

OwnNftTable::OwnNftTable(const QString &prefix)
    : m_name(NetworkNamespaces::ownNftTable(prefix))
{}

OwnNftTable::~OwnNftTable()
{
    remove();
}

bool OwnNftTable::available(QString *why)
{
    if (::geteuid() != 0) {
        *why = QStringLiteral("needs root for nftables");
        return false;
    }
    return nft(QStringLiteral("list tables"), why);
}

bool OwnNftTable::load(const QString &script, QString *error)
{
    remove();
    m_loaded = nft(QStringLiteral("add table inet %1; ").arg(m_name) + script, error);
    return m_loaded;
}

void OwnNftTable::remove()
{
    if (!m_loaded)
        return;
    m_loaded = false;
    QString error;
    if (!nft(QStringLiteral("delete table inet ") + m_name, &error))
        qWarning("could not remove nftables table %s: %s", qPrintable(m_name), qPrintable(error));
}

qint64 OwnNftTable::counted() const
{
    QByteArray rules;
    if (!m_loaded || !nft(QStringLiteral("list table inet ") + m_name, nullptr, &rules))
        return -1;
    static const QRegularExpression counter(QStringLiteral("counter packets (\\d+)"));
    qint64 total = -1;
    for (auto it = counter.globalMatch(QString::fromLatin1(rules)); it.hasNext();)
        total = std::max<qint64>(total, 0) + it.next().captured(1).toLongLong();
    return total;
}

} // namespace softphone::test
