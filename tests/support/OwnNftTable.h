#pragma once
// An nftables table (family inet) of this process's own, as root, for tests
// that drop packets on this machine without a namespace (RtpLoss, TcpPortCut):
// named prefix + pid, with stale tables of that prefix whose process is gone
// removed first (NetworkNamespaces::ownNftTable); loaded in one batch (all of
// it or nothing), removed by remove() or with the object, also when the test
// failed half-way; its rules' counters summed.
#include <QString>

namespace softphone::test {

class OwnNftTable
{
public:
    explicit OwnNftTable(const QString &prefix);
    ~OwnNftTable();
    OwnNftTable(const OwnNftTable &) = delete;
    OwnNftTable &operator=(const OwnNftTable &) = delete;

    // Root and nft; *why otherwise (for QSKIP).
    static bool available(QString *why);

    const QString &name() const { return m_name; }
    // Loads the table: `script` is nft's batch after "add table inet <name>;"
    // (its chains and rules, naming the table by name()). Replaces what an
    // earlier load() made.
    bool load(const QString &script, QString *error = nullptr);
    void remove();
    // Packets counted by the table's `counter` rules since load(); -1 when not
    // loaded or they cannot be read.
    qint64 counted() const;

private:
    QString m_name;
    bool m_loaded = false;
};

} // namespace softphone::test
