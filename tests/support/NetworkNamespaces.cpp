#include "NetworkNamespaces.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <unistd.h>

namespace softphone::test {

bool NetworkNamespaces::runHost(const QStringList &command, QString *error, QByteArray *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(command.first(), command.mid(1));
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished(2000);
        if (error)
            *error = QStringLiteral("%1: did not finish in 10 s").arg(command.join(' '));
        return false;
    }
    const QByteArray out = p.readAll();
    if (output)
        *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(command.join(' '), QString::fromLocal8Bit(out));
        return false;
    }
    return true;
}

QString NetworkNamespaces::ownNftTable(const QString &prefix)
{
    const QString own = prefix + QString::number(::getpid());
    QByteArray tables;
    if (!runHost({QStringLiteral("nft"), QStringLiteral("list tables inet")}, nullptr, &tables))
        return own;
    for (const QByteArray &line : tables.split('\n')) {
        const QString name = QString::fromLatin1(line.trimmed().split(' ').value(2));
        if (!name.startsWith(prefix) || name == own)
            continue;
        const QString pid = name.mid(prefix.size());
        if (!pid.isEmpty() && !QDir(QStringLiteral("/proc/") + pid).exists())
            runHost({QStringLiteral("nft"), QStringLiteral("delete table inet ") + name});
    }
    return own;
}

NetworkNamespaces::NetworkNamespaces(const QString &prefix)
    : m_prefix(prefix)
{
    // Leftovers of an earlier run that died before its cleanup: their pid is gone.
    QByteArray list;
    if (!runHost({"ip", "netns", "list"}, nullptr, &list))
        return;
    for (const QByteArray &line : list.split('\n')) {
        const QString ns = QString::fromLatin1(line.split(' ').value(0));
        if (!ns.startsWith(m_prefix + '-'))
            continue;
        const QString pid = ns.section('-', 1, 1);
        if (!pid.isEmpty() && !QDir(QStringLiteral("/proc/") + pid).exists()) {
            runHost({"ip", "netns", "del", ns});
            QDir(QStringLiteral("/etc/netns/") + ns).removeRecursively();
        }
    }
}

NetworkNamespaces::~NetworkNamespaces()
{
    for (const QString &ns : m_created) {
        // Processes still inside would keep nothing alive (veths go with the
        // namespace), but kill them so no test process outlives the test.
        QByteArray pids;
        if (runHost({"ip", "netns", "pids", ns}, nullptr, &pids))
            for (const QByteArray &pid : pids.split('\n'))
                if (pid.toInt() > 0)
                    ::kill(pid.toInt(), SIGKILL);
        QString error;
        if (!runHost({"ip", "netns", "del", ns}, &error))
            qWarning("could not remove network namespace %s: %s", qPrintable(ns),
                     qPrintable(error));
        QDir(QStringLiteral("/etc/netns/") + ns).removeRecursively();
    }
}

bool NetworkNamespaces::setHosts(const QString &ns, const QString &lines, QString *error)
{
    const QString dir = QStringLiteral("/etc/netns/") + name(ns);
    QFile file(dir + QStringLiteral("/hosts"));
    if (!QDir().mkpath(dir) || !file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(file.fileName());
        return false;
    }
    file.write("127.0.0.1 localhost\n" + lines.toUtf8() + '\n');
    return true;
}

bool NetworkNamespaces::available(QString *why)
{
    if (::geteuid() != 0) {
        *why = QStringLiteral("needs root for ip netns");
        return false;
    }
    const QString probe = QStringLiteral("spm-probe-%1").arg(::getpid());
    if (!runHost({"ip", "netns", "add", probe}, why))
        return false;
    runHost({"ip", "netns", "del", probe});
    return true;
}

QString NetworkNamespaces::name(const QString &shortName) const
{
    return QStringLiteral("%1-%2-%3").arg(m_prefix).arg(::getpid()).arg(shortName);
}

bool NetworkNamespaces::add(const QString &shortName, QString *error)
{
    const QString ns = name(shortName);
    if (!runHost({"ip", "netns", "add", ns}, error))
        return false;
    m_created.append(ns);
    // IPv4 only: the tests check which addresses ICE picked, and IPv6
    // link-local addresses appear a moment after a link comes up.
    return run(shortName, {"sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"}, error) &&
           run(shortName, {"sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"}, error) &&
           run(shortName, {"ip", "link", "set", "lo", "up"}, error);
}

bool NetworkNamespaces::link(const QString &nsA, const QString &ifA, const QString &addressA,
                             const QString &nsB, const QString &ifB, const QString &addressB,
                             QString *error)
{
    return runHost({"ip", "link", "add", ifA, "netns", name(nsA), "type", "veth", "peer", "name",
                    ifB, "netns", name(nsB)},
                   error) &&
           run(nsA, {"ip", "addr", "add", addressA, "dev", ifA}, error) &&
           run(nsB, {"ip", "addr", "add", addressB, "dev", ifB}, error) &&
           run(nsA, {"ip", "link", "set", ifA, "up"}, error) &&
           run(nsB, {"ip", "link", "set", ifB, "up"}, error) && waitRunning(nsA, ifA, error) &&
           waitRunning(nsB, ifB, error);
}

bool NetworkNamespaces::waitRunning(const QString &ns, const QString &interface, QString *error)
{
    // A link is "up" a moment (up to a second) before it is running
    // (IFF_RUNNING), and libnice gathers only on running interfaces: wait for
    // operstate up, at most 5 s.
    for (int i = 0; i < 50; ++i) {
        QByteArray state;
        if (run(ns, {"cat", "/sys/class/net/" + interface + "/operstate"}, nullptr, &state) &&
            state.trimmed() == "up")
            return true;
        QThread::msleep(100);
    }
    if (error)
        *error = QStringLiteral("%1 in %2 did not come up within 5 s").arg(interface, ns);
    return false;
}

QStringList NetworkNamespaces::execArguments(const QString &ns, const QString &program,
                                             const QStringList &args) const
{
    return QStringList{"netns", "exec", name(ns), program} + args;
}

bool NetworkNamespaces::run(const QString &ns, const QStringList &command, QString *error,
                            QByteArray *output)
{
    return runHost(QStringList{"ip"} + execArguments(ns, command.first(), command.mid(1)), error,
                   output);
}

bool NetworkNamespaces::addNatTopology(QString *error)
{
    return add("lan", error) && add("nat", error) && add("pub", error) &&
           link("lan", "eth0", "10.78.1.2/24", "nat", "eth0", "10.78.1.1/24", error) &&
           link("nat", "eth1", "10.77.0.1/24", "pub", "eth0", "10.77.0.2/24", error) &&
           run("lan", {"ip", "route", "add", "default", "via", "10.78.1.1"}, error) &&
           run("nat", {"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"}, error) &&
           run("nat",
               {"nft", "add table ip nat; add chain ip nat post { type nat hook postrouting "
                       "priority 100; }; add rule ip nat post oifname eth1 masquerade"},
               error);
}

bool NetworkNamespaces::dropForwardedUdp(const QString &ns, QString *error)
{
    return run(ns,
               {"nft", "add table inet filter; add chain inet filter forwarding { type filter "
                       "hook forward priority 0; }; add rule inet filter forwarding meta "
                       "l4proto udp drop"},
               error);
}

} // namespace softphone::test
