#include "bench_engine_cost.h"

#include "bench_calling_support.h"
#include "support/PostgresServer.h"
#include "support/RedisServer.h"

#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace softphone::bench {

namespace {

// The snapshots' own queries, never the service's.
bool isOwnQuery(const QString &sql)
{
    return sql.contains(QLatin1StringView("pg_stat_")) ||
           sql.startsWith(QLatin1StringView("CREATE EXTENSION"));
}

QString shortened(QString sql, int width)
{
    return sql.size() > width ? sql.left(width - 3) + QStringLiteral("...") : sql;
}

std::vector<std::pair<QString, qint64>> sorted(const QMap<QString, qint64> &counts)
{
    std::vector<std::pair<QString, qint64>> out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > 0)
            out.emplace_back(it.key(), it.value());
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.second > b.second; });
    return out;
}

QString perOperation(const QMap<QString, qint64> &counts, double n, double *total)
{
    QStringList parts;
    for (const auto &[command, calls] : sorted(counts)) {
        *total += double(calls) / n;
        parts << QStringLiteral("%1 %2").arg(command).arg(double(calls) / n, 0, 'f', 2);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

EngineCost::EngineCost(test::RedisServer *redis, test::PostgresServer *postgres)
    : m_redis(redis)
    , m_postgres(postgres)
{}

EngineCost::~EngineCost()
{
    if (m_monitor) {
        m_monitor->kill();
        m_monitor->waitForFinished(5000);
    }
}

bool EngineCost::enableStatements()
{
    if (!m_postgres)
        return false;
    m_postgres->query(
        QStringLiteral("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"));
    m_postgres->stop();
    if (!m_postgres->start())
        return false;
    m_postgres->query(QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
    m_statements =
        !m_postgres->query(QStringLiteral("SELECT count(*) FROM pg_stat_statements")).isEmpty();
    return m_statements;
}

QMap<QString, qint64> EngineCost::statements()
{
    QMap<QString, qint64> counts;
    if (!m_postgres || !m_statements)
        return counts;
    // One row per statement: calls, a tab, the text on one line.
    const QString rows = m_postgres->query(
        QStringLiteral("SELECT calls || chr(9) || regexp_replace(query, '\\s+', ' ', 'g') "
                       "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
                       "WHERE datname = 'softphone')"));
    for (const QString &row : rows.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString sql = row.section(QLatin1Char('\t'), 1);
        if (!isOwnQuery(sql))
            counts[sql] += row.section(QLatin1Char('\t'), 0, 0).toLongLong();
    }
    return counts;
}

void EngineCost::begin()
{
    m_statementsAtBegin = statements();
    if (m_redis) {
        m_monitor = std::make_unique<QProcess>();
        m_monitor->start(
            QStringLiteral("redis-cli"),
            {QStringLiteral("-p"), QString::number(m_redis->port()), QStringLiteral("MONITOR")});
        m_monitor->waitForStarted(5000);
        // MONITOR answers OK once it listens.
        waitFor([&] { return m_monitor->canReadLine(); }, 5000);
    }
    m_beginUs = nowUs();
}

void EngineCost::end(const char *what, int operations)
{
    const double seconds = std::max(1e-3, double(nowUs() - m_beginUs) / 1e6);
    const double n = std::max(1, operations);
    if (m_monitor) {
        waitFor([] { return false; }, 200); // the last lines in flight
        m_monitor->kill();
        m_monitor->waitForFinished(5000);
        // 1701.1 [0 127.0.0.1:40000] "PUBLISH" "..."  or  [0 lua] "ZADD" ... inside an EVAL.
        static const QRegularExpression line(
            QStringLiteral("^\\d+\\.\\d+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"(?: \"([^\"]+)\")?"),
            QRegularExpression::MultilineOption);
        QMap<QString, qint64> trips, inScripts, perSecond;
        const QString output = QString::fromUtf8(m_monitor->readAllStandardOutput());
        for (auto it = line.globalMatch(output); it.hasNext();) {
            const auto m = it.next();
            QString command = m.captured(2).toUpper();
            if (command == u"KEYS")
                continue; // the benches' own
            if (command == u"PUBSUB")
                command += u' ' + m.captured(3).toUpper();
            if (m.captured(1) == u"lua")
                ++inScripts[command];
            else if (command == u"PING" || command.startsWith(u"PUBSUB"))
                ++perSecond[command];
            else
                ++trips[command];
        }
        m_monitor.reset();
        double total = 0, scripted = 0;
        const QString tripText = perOperation(trips, n, &total);
        const QString scriptText = perOperation(inScripts, n, &scripted);
        std::printf("  per %s (%d in %.1f s): Redis %.2f commands: %s", what, operations, seconds,
                    total, qPrintable(tripText));
        if (!inScripts.isEmpty())
            std::printf("; inside the EVALs %.2f: %s", scripted, qPrintable(scriptText));
        QStringList rates;
        for (auto it = perSecond.cbegin(); it != perSecond.cend(); ++it)
            rates << QStringLiteral("%1 %2").arg(it.key()).arg(double(it.value()) / seconds, 0, 'f',
                                                               1);
        if (!rates.isEmpty())
            std::printf("  [per second, all nodes: %s]", qPrintable(rates.join(u", ")));
        std::printf("\n");
    }
    if (m_postgres && m_statements) {
        QMap<QString, qint64> delta = statements();
        qint64 total = 0;
        for (auto it = delta.begin(); it != delta.end(); ++it) {
            it.value() -= m_statementsAtBegin.value(it.key());
            total += it.value();
        }
        std::printf("  per %s: PostgreSQL %.2f statements (BEGIN and COMMIT included)\n", what,
                    double(total) / n);
        for (const auto &[sql, calls] : sorted(delta))
            std::printf("      %6.2f  %s\n", double(calls) / n, qPrintable(shortened(sql, 110)));
    }
    std::fflush(stdout);
}

} // namespace softphone::bench
