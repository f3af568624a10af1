#pragma once
// Network namespaces for a test, as root: made with `ip netns`, linked with
// veth pairs, each command bounded in time, and all of them removed when the
// object goes (also when the test failed half-way). Names carry the test's
// pid, and leftovers of a crashed earlier run (dead pid) are removed first.
#include <QString>
#include <QStringList>

namespace softphone::test {

class NetworkNamespaces
{
public:
    explicit NetworkNamespaces(const QString &prefix = QStringLiteral("spm"));
    ~NetworkNamespaces();
    NetworkNamespaces(const NetworkNamespaces &) = delete;
    NetworkNamespaces &operator=(const NetworkNamespaces &) = delete;

    // Root, and `ip netns add` works here; *why otherwise (for QSKIP).
    static bool available(QString *why);

    // The machine-wide name of a namespace of this test.
    QString name(const QString &shortName) const;
    bool add(const QString &shortName, QString *error = nullptr);
    // A veth pair between two namespaces, addresses in CIDR form, links up.
    bool link(const QString &nsA, const QString &ifA, const QString &addressA, const QString &nsB,
              const QString &ifB, const QString &addressB, QString *error = nullptr);
    // Runs a command inside a namespace (ip netns exec), at most 10 s.
    bool run(const QString &ns, const QStringList &command, QString *error = nullptr,
             QByteArray *output = nullptr);
    // The argument list that runs `program args` inside a namespace.
    QStringList execArguments(const QString &ns, const QString &program,
                              const QStringList &args) const;

    static bool runHost(const QStringList &command, QString *error = nullptr,
                        QByteArray *output = nullptr);
    // The name of an nftables table (family inet) of this process's own: prefix + pid.
    // Tables of that prefix whose process is gone (a run that died before its
    // clean-up) are deleted first. Used by OwnNftTable (RtpLoss, TcpPortCut).
    static QString ownNftTable(const QString &prefix);

    // "lan" (10.78.1.2) behind "nat" (nftables masquerade onto 10.77.0.1) and
    // "pub" (10.77.0.2), which has no route into the lan: only the NAT's
    // address, learnt through STUN or TURN, reaches the lan.
    bool addNatTopology(QString *error = nullptr);
    // The namespace forwards no UDP at all (a network that blocks UDP).
    bool dropForwardedUdp(const QString &ns, QString *error = nullptr);

    // `ip netns exec` shows /etc/netns/<name>/hosts as the namespace's
    // /etc/hosts: `lines` ("10.77.0.2 turn.softphone.test") resolve there
    // without DNS. Removed with the namespace.
    bool setHosts(const QString &ns, const QString &lines, QString *error = nullptr);

    // Waits (at most 5 s) until the interface is running.
    bool waitRunning(const QString &ns, const QString &interface, QString *error = nullptr);

private:
    QString m_prefix;
    QStringList m_created;
};

} // namespace softphone::test
