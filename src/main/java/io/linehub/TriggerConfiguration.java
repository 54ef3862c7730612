package io.linehub;

import io.linehub.api.BatchApi;
import io.linehub.api.FilesApi;
import io.linehub.api.OpenApiDocument;
import io.linehub.customer.CustomerCache;
import io.linehub.inbox.FileDrops;
import io.linehub.inbox.FileProgress;
import io.linehub.inbox.InboxFiles;
import io.linehub.inbox.InboxLocks;
import io.linehub.outbox.NotificationQueue;
import io.linehub.schedule.ScheduledJobs;
import io.linehub.sftp.SftpFiles;
import io.linehub.sftp.SftpPollFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** The beans the trigger routes (file-inbox, sftp-pickup, the mapped triggers, schedules, batch API) call by name. */
final class TriggerConfiguration {

    private TriggerConfiguration() {
    }

    static void bind(CamelContext context, Path dataDir, DataSource hubDb, DataSource customerDb, NotificationQueue outbox, String processName)
            throws Exception {
        TriggerSettings t = TriggerSettings.from(context.getPropertiesComponent());
        // several hubs may run in one JVM (tests): each claims under a name of its own
        String nodeId = processName + "/" + UUID.randomUUID().toString().substring(0, 8);
        Registry r = context.getRegistry();

        // the inbox's read lock: one row per file in the shared database; a dead holder's row expires
        InboxLocks locks = new InboxLocks(hubDb, Duration.ofMillis(t.inboxLockMaxAgeMs()), Clock.systemUTC());
        context.addService(locks, true, true);
        r.bind("inboxLocks", locks);
        // a file's checkpoints are stored on the inbox-store threads while its next rows are read (decision 0033);
        // Camel shuts the pool down after the routes have stopped
        r.bind("inboxFiles", new InboxFiles(new FileProgress(hubDb, Clock.systemUTC()), outbox, dataDir.resolve("reports"), nodeId,
                t.inboxCheckpointRows(), Clock.systemUTC(), context.getExecutorServiceManager().newCachedThreadPool(InboxFiles.class, "inbox-store")));
        // SFTP pickups (routes/sftp-pickup.camel.yaml): the hand-over into a local inbox, and what a failed poll says
        r.bind("sftpFiles", new SftpFiles());
        r.bind("sftpPollFailures", new SftpPollFailures());
        FileDrops fileDrops = new FileDrops(hubDb, dataDir.resolve("reports"), Duration.ofHours(t.filesRecentHours()), Clock.systemUTC());
        r.bind("fileDrops", fileDrops);
        r.bind("filesApi", new FilesApi(fileDrops));
        r.bind("scheduledJobs", new ScheduledJobs());
        r.bind("customerCache", new CustomerCache(Duration.ofSeconds(t.customerCacheTtlSeconds()), t.customerCacheSize()));
        r.bind("batchApi", new BatchApi());
        r.bind("openApiDocument", new OpenApiDocument());
        // the claimer's name the mapped SQL polls write back (routes/mapped-sql-poll.camel.yaml, :#hubNode)
        r.bind("hubNodeId", nodeId);
    }
}
