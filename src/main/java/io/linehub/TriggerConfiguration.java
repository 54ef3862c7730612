package io.linehub;

import io.linehub.inbox.FileProgress;
import io.linehub.inbox.InboxFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;

/** The beans the trigger routes (file-inbox, erp-requests, schedules, batch API) call by name. */
final class TriggerConfiguration {

    private TriggerConfiguration() {
    }

    static void bind(CamelContext context, Path dataDir, DataSource hubDb, DataSource customerDb, String nodeId) {
        TriggerSettings t = TriggerSettings.from(context.getPropertiesComponent());
        Registry r = context.getRegistry();

        // the inbox's read lock: one row per file in the shared database; a dead holder's row expires
        JdbcOrphanLockAwareIdempotentRepository locks = new JdbcOrphanLockAwareIdempotentRepository(hubDb, "file-inbox", context);
        locks.setCreateTableIfNotExists(false);
        locks.setLockMaxAgeMillis(t.inboxLockMaxAgeMs());
        locks.setLockKeepAliveIntervalMillis(Math.max(100, t.inboxLockMaxAgeMs() / 3));
        r.bind("inboxLocks", locks);
        r.bind("inboxFiles", new InboxFiles(new FileProgress(hubDb, Clock.systemUTC()), dataDir.resolve("reports"), nodeId,
                t.inboxCheckpointRows(), Clock.systemUTC()));
    }
}
