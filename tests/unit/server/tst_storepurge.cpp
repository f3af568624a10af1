// The stores' purges of expired rows run in batches (a long backlog in one
// statement would pass PostgreSQL's statement timeout at every sweep and never
// finish): more than one batch of expired rows all go, the unexpired stay. On
// SQLite and on a real PostgreSQL 15 (started here) alike.
#include "softphone-server/calling/SqlMessageStore.h"
#include "softphone-server/common/ServerOptions.h"
#include "softphone-server/common/SqlDatabase.h"
#include "softphone-server/push/SqlPushStore.h"
#include "support/PostgresServer.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace softphone::server;

class TestStorePurge : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    softphone::test::PostgresServer m_postgres;
    bool m_postgresUp = false;

    // The store's database: a file in the folder, or its schema in PostgreSQL.
    std::optional<SqlDatabase> database(const QString &part)
    {
        ServerOptions options;
        options.dataDir = m_dir.path();
        QFETCH(bool, postgres);
        if (postgres)
            options.database = m_postgres.url();
        return SqlDatabase::forStore(options, part);
    }

    void engines()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        if (m_postgresUp)
            QTest::newRow("postgresql") << true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (softphone::test::PostgresServer::available()) {
            m_postgresUp = m_postgres.start();
            QVERIFY2(m_postgresUp, qPrintable(m_postgres.lastError()));
        } else {
            qWarning("postgresql-15 is not installed: SQLite only");
        }
    }

    void expiredMessagesGoInBatches_data() { engines(); }
    void expiredMessagesGoInBatches()
    {
        const auto where = database(QStringLiteral("calling"));
        QVERIFY(where);
        calling::SqlMessageStore store;
        QString error;
        QVERIFY2(store.open(*where, &error), qPrintable(error));
        store.setQuota({100000, qint64(1) << 40, 1});
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const int expired = 2 * SqlDatabase::kPurgeBatchRows + 500;
        for (int i = 0; i < expired + 3; ++i) {
            calling::StoredMessage m;
            m.id = QStringLiteral("m%1").arg(i);
            m.from = QStringLiteral("alice");
            m.to = QStringLiteral("bob");
            m.text = QStringLiteral("hello");
            m.sentAtMs = i < expired ? now - calling::SqlMessageStore::kRetentionMs - 1000 : now;
            QCOMPARE(store.add(m, &error), calling::SqlMessageStore::AddResult::Stored);
        }
        QCOMPARE(store.purgeExpired(now), expired);
        const auto left = store.pendingFor(QStringLiteral("bob"), QStringLiteral("d1"), 100);
        QCOMPARE(left.size(), 3);
        for (const auto &m : left)
            QCOMPARE(m.sentAtMs, now);
        QCOMPARE(store.purgeExpired(now), 0);
    }

    void expiredPushesGoInBatches_data() { engines(); }
    void expiredPushesGoInBatches()
    {
        const auto where = database(QStringLiteral("push"));
        QVERIFY(where);
        push::SqlPushStore store;
        QString error;
        QVERIFY2(store.open(*where, &error), qPrintable(error));
        const QString uaid = QStringLiteral("0123456789abcdef0123456789abcdef");
        QVERIFY(store.addDevice(uaid));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const int expired = 2 * SqlDatabase::kPurgeBatchRows + 500;
        QVERIFY(store.beginBatch());
        for (int i = 0; i < expired + 3; ++i) {
            push::PushStore::Message m;
            m.version = QStringLiteral("v%1").arg(i);
            m.uaid = uaid;
            m.channelId = QStringLiteral("channel");
            m.data = QByteArray(16, 'x');
            m.expiresMs = i < expired ? now - 1000 : now + 3600000;
            int dropped = 0;
            QVERIFY2(store.storeMessage(m, 100000, &dropped), qPrintable(store.lastError()));
        }
        QVERIFY(store.commitBatch());
        QCOMPARE(store.purgeExpired(now), expired);
        QCOMPARE(store.pendingMessages(uaid, 100, now).size(), 3);
        QCOMPARE(store.purgeExpired(now), 0);
    }
};

QTEST_GUILESS_MAIN(TestStorePurge)
#include "tst_storepurge.moc"
