package io.linehub.inbox;

import io.linehub.observe.InboxMetrics;

import io.linehub.headers.HubHeaders;
import io.linehub.intake.IntakeChunk;
import io.linehub.intake.IntakeBatch;
import io.linehub.intake.IntakeRejection;
import io.linehub.rows.NotificationRow;
import io.linehub.rows.NotificationRows;
import io.linehub.rows.RowReader;
import io.linehub.rows.UnreadableRowsException;
import io.linehub.outbox.NotificationQueue;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The steps of the inbox route (routes/file-inbox.camel.yaml): open a dropped file (content hash, progress,
 * report), turn each row into the API's JSON for {@code direct:intake}, whose notifications wait in the file's
 * {@link IntakeBatch}; every few hundred rows a checkpoint stores the batch ({@code NotificationQueue.enqueueAll}), then writes
 * the rows' outcomes to {@code reports/<file>.result.csv}, then saves the progress; and finish.
 * <p>
 * Hostile files (docs/api.md, "Inbox"): a symbolic link is never followed, an empty file or one that cannot be
 * read is refused with a report line naming the problem, and each goes to {@code .failed/} at once (through the
 * route's {@code move} option: nothing is thrown, so nothing waits or is retried). Only the bytes hashed at the
 * start are read; a file that changed while it was read (or within twice {@code hub.inbox.stable-ms} of its last
 * change) is read again when nothing of it was stored yet, else refused loudly: unread rows never go to
 * {@code .done/}. Names too long for the file system's 255 bytes once stamped get a shortened name with a hash.
 * Report cells that come from the file and start like a spreadsheet formula are prefixed with {@code '} (OWASP).
 */
public class InboxFiles {

    static final String REPORT_HEADER = "row,result,notification_id,field,reason\r\n";
    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ARCHIVE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
    /** How often a file that keeps changing while it is read is read again before it is refused. */
    static final int MAX_REREADS = 20;

    final FileProgress progress;
    private final NotificationQueue outbox;
    private final Path reportsDir;
    private final String owner;
    private final int checkpointRows;
    private final Clock clock;

    InboxMetrics metrics = InboxMetrics.none();
    /**
     * Where each file's checkpoints are stored (one checkpoint of a file at a time, in order), so that the inbox reads
     * and decides the next rows meanwhile (decision 0033).
     */
    final ExecutorService storeThreads;

    /** Counts the rows of each checkpoint (read, accepted, refused) in these meters. */
    public InboxFiles metered(InboxMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** @param storeThreads where checkpoints are stored while the inbox reads on (the hub gives it a pool of Camel's) */
    public InboxFiles(FileProgress progress, NotificationQueue outbox, Path reportsDir, String owner, int checkpointRows, Clock clock,
                      ExecutorService storeThreads) {
        this.progress = progress;
        this.outbox = outbox;
        this.reportsDir = reportsDir;
        this.owner = owner;
        this.checkpointRows = checkpointRows;
        this.clock = clock;
        this.storeThreads = storeThreads;
    }

    /**
     * The route's first step: where the file goes when the route is done ({@code .done/}, unless a step refuses it
     * to {@code .failed/}) under a stamped name that fits the file system, and the first read is due.
     */
    public void arrive(Exchange exchange) {
        String name = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).getFileName().toString();
        String archive = ARCHIVE_STAMP.format(clock.instant()) + "-" + InboxFileNames.fit(name, InboxFileNames.MAX_NAME_BYTES - 16);
        exchange.setProperty(HubHeaders.INBOX_ARCHIVE_NAME, archive);
        exchange.setProperty(HubHeaders.INBOX_MOVE_TO, ".done/" + archive);
        exchange.setProperty(HubHeaders.INBOX_REREAD, true);
        if (!archive.endsWith(name)) {
            LOG.warn("inbox file name is {} bytes, too long for the file system once stamped; it is archived and reported under {}",
                    InboxFileNames.utf8Length(name), InboxFileNames.fit(name, InboxFileNames.MAX_REPORT_BASE_BYTES));
        }
    }

    /**
     * The file consumer's file: refuse what is not a regular, non-empty file; else hash the bytes there now, start or
     * resume its run, open the report. The body becomes the row iterator (empty for a refused file).
     */
    public Iterator<List<NotificationRow>> open(Exchange exchange) throws IOException {
        exchange.setProperty(HubHeaders.INBOX_REREAD, false);
        FileRun previous = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        exchange.removeProperty(HubHeaders.INBOX_RUN);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        Files.createDirectories(reportsDir);
        String base = InboxFileNames.fit(name, InboxFileNames.MAX_REPORT_BASE_BYTES);
        Path report = reportsDir.resolve(base + ".result.csv");
        if (Files.isSymbolicLink(file)) {
            return refuseUnread(exchange, name, base, report, "the file is a symbolic link; the hub reads only regular files dropped into the inbox and never follows links");
        }
        BasicFileAttributes snapshot = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!snapshot.isRegularFile()) {
            return refuseUnread(exchange, name, base, report, "the file is not a regular file");
        }
        if (snapshot.size() == 0) {
            return refuseUnread(exchange, name, base, report, "the file is empty");
        }
        Scan scan = scan(file, snapshot.size());
        String hash = scan.sha256();
        FileProgress.Start start = progress.start(name, hash, owner);
        long totalRows = name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? Math.max(0, scan.lines() - 1) : scan.lines();
        progress.describe(name, hash, snapshot.size(), totalRows, report.getFileName().toString());
        if (!start.resumed() && Files.exists(report)) {
            Files.move(report, reportsDir.resolve(base + "." + STAMP.format(clock.instant()) + ".result.csv"));
        }
        FileRun run = new FileRun(name, hash, report, start, new IntakeBatch(outbox));
        run.totalRows = totalRows;
        run.file = file;
        run.snapshot = snapshot;
        run.rereads = previous == null ? 0 : previous.rereads;
        if (start.resumed()) {
            LOG.info("inbox file {} resumes after row {} (run {})", name, start.lastRow(), start.run());
        } else {
            LOG.info("inbox file {} started (run {})", name, start.run());
        }
        NotificationRows rows;
        try {
            // only the bytes hashed above: what is appended meanwhile is noticed at the end, not half-read
            InputStream in = new BoundedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), snapshot.size());
            try {
                // a mapped inbox (route template mapped-file-inbox) reads the bytes its own way
                RowReader reader = exchange.getProperty(HubHeaders.INBOX_ROW_READER, RowReader.class);
                rows = reader != null ? reader.open(in, name, start.lastRow()) : NotificationRows.open(in, name, start.lastRow());
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (UnreadableRowsException e) {
            run.write(0, "rejected", null, "file", e.getMessage());
            run.close();
            progress.finish(name, hash, "FAILED", e.getMessage());
            LOG.warn("inbox file {} cannot be read: {}; moved to .failed/", name, e.getMessage());
            run.refused = true;
            exchange.setProperty(HubHeaders.INBOX_RUN, run);
            exchange.setProperty(HubHeaders.INBOX_MOVE_TO, ".failed/" + exchange.getProperty(HubHeaders.INBOX_ARCHIVE_NAME, String.class));
            return Collections.emptyIterator();
        }
        run.rows = rows;
        exchange.setProperty(HubHeaders.INBOX_RUN, run);
        // intake leaves each row's notification in the run's batch; the checkpoints store it
        exchange.setProperty(HubHeaders.INTAKE_BATCH, run.batch);
        // a run that fails part-way (database down) keeps its progress row for the resume; close its files
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                run.awaitStoredQuietly(); // a checkpoint still being stored finishes (or fails) before the report closes
                LOG.error("inbox file {} failed after row {} ({}); rows up to its last checkpoint are kept", name, run.lastRow,
                        failed.getException() == null ? "unknown" : causes(failed.getException()));
                try {
                    run.rows.close();
                    run.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing inbox file {} after a failure: {}", name, e.toString());
                }
            }
        });
        return rows.chunks(checkpointRows);
    }

    /** A file the hub does not read at all: a report with one line saying why, and off to .failed/. */
    private Iterator<List<NotificationRow>> refuseUnread(Exchange exchange, String name, String base, Path report, String reason) throws IOException {
        if (Files.exists(report, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(report, reportsDir.resolve(base + "." + STAMP.format(clock.instant()) + ".result.csv"));
        }
        Files.writeString(report, REPORT_HEADER + "0,rejected,,file," + FileRun.csv(reason) + "\r\n", StandardCharsets.UTF_8);
        LOG.warn("inbox file {} refused: {}; moved to .failed/", name, reason);
        exchange.setProperty(HubHeaders.INBOX_MOVE_TO, ".failed/" + exchange.getProperty(HubHeaders.INBOX_ARCHIVE_NAME, String.class));
        return Collections.emptyIterator();
    }

    /**
     * One chunk of rows (the split's part: a checkpoint's worth, see {@link #open}): the requests for
     * {@code direct:intake-chunk} as the body, each with its idempotency key (the row's own, else file hash + row). A
     * row that could not even be read as a notification is held as rejected at once.
     */
    public List<IntakeChunk.Request> requests(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        @SuppressWarnings("unchecked")
        List<NotificationRow> rows = exchange.getMessage().getMandatoryBody(List.class);
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        run.chunk = rows;
        List<IntakeChunk.Request> requests = new ArrayList<>(rows.size());
        for (NotificationRow row : rows) {
            if (row.request() != null) {
                requests.add(new IntakeChunk.Request(row.request(),
                        row.idempotencyKey() != null ? row.idempotencyKey() : "file:" + run.hash + ":" + row.row()));
            }
        }
        exchange.getMessage().setBody(requests);
        return requests;
    }

    /**
     * Intake took the chunk: each row's notification waits in the file's batch, or the row was refused (its report line
     * names the column and the reason; other rows go on). A failure the hub may retry later (a database outage) fails
     * the file instead, so that it is read again from its last checkpoint.
     */
    public void taken(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        @SuppressWarnings("unchecked")
        List<IntakeChunk.Outcome> outcomes = exchange.getMessage().getMandatoryBody(List.class);
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        int next = 0;
        for (NotificationRow row : run.chunk) {
            if (row.request() == null) {
                run.hold(new FileRun.Held(row.row(), null, new IntakeRejection("invalid_request", row.errorField(), row.errorReason())));
                continue;
            }
            IntakeChunk.Outcome o = outcomes.get(next++);
            if (o.refusal() == null) {
                run.hold(new FileRun.Held(row.row(), o.slot(), null));
                continue;
            }
            IntakeRejection why = IntakeRejection.of(o.refusal());
            if (why.retryable()) {
                throw new IllegalStateException("inbox row could not be stored; the file will be retried", o.refusal());
            }
            run.hold(new FileRun.Held(row.row(), null, why));
        }
        run.chunk = List.of();
    }

    /**
     * After every {@code checkpointRows} rows: a checkpoint (see {@link FileRun#checkpoint}), unless the file changed
     * since it was opened (or within twice {@code stableMs} of its last change): then nothing more is read or stored,
     * and {@link #finish} decides.
     */
    public void checkpointIfDue(Exchange exchange, long stableMs) throws IOException {
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        if (run.held.size() >= checkpointRows) {
            // nothing is stored before the file has been left alone for twice stableMs (a writer pausing is noticed)
            if (!settled(run, stableMs)) {
                run.changed = true;
                run.rows.close(); // the split ends here
                return;
            }
            run.checkpoint(this);
        }
    }

    /**
     * All rows read: unless the file changed meanwhile (or within twice {@code stableMs} of its last change), the
     * last checkpoint, status DONE (or FAILED when reading broke off: then to .failed/), report closed.
     */
    public void finish(Exchange exchange, long stableMs) throws IOException {
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        if (run == null || run.refused) {
            return;
        }
        run.awaitStored(); // the checkpoint being stored: the report, counters and committed row are its
        boolean broken = run.rows.broken();
        run.rows.close();
        if (!run.changed) {
            run.changed = !settled(run, stableMs);
        }
        if (run.changed) {
            changed(exchange, run, stableMs);
            return;
        }
        run.checkpoint(this);
        run.awaitStored();
        run.close();
        progress.finish(run.name, run.hash, broken ? "FAILED" : "DONE", broken ? "reading broke off after row " + run.lastRow : null);
        if (broken) {
            LOG.warn("inbox file {} broke off after row {}: {} accepted, {} rejected; moved to .failed/, report {}", run.name, run.lastRow,
                    run.accepted, run.rejected, run.report.getFileName());
            exchange.setProperty(HubHeaders.INBOX_MOVE_TO, ".failed/" + exchange.getProperty(HubHeaders.INBOX_ARCHIVE_NAME, String.class));
        } else {
            LOG.info("inbox file {} done: {} accepted, {} rejected; report {}", run.name, run.accepted, run.rejected, run.report.getFileName());
        }
    }

    /** Whether the file is as it was opened once it has been left alone for twice {@code stableMs} (waits for that). */
    private boolean settled(FileRun run, long stableMs) throws IOException {
        if (run.changed) {
            return false;
        }
        long quietFor = clock.millis() - run.snapshot.lastModifiedTime().toMillis();
        if (quietFor < 2 * stableMs) {
            try {
                Thread.sleep(2 * stableMs - quietFor);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !run.changedOnDisk();
    }

    /**
     * The file changed after it was opened (its writer was still at it): its held rows are dropped unstored. When
     * nothing of this run was stored yet it is read again from the start (the route's loop); otherwise, or when it
     * keeps changing, it is refused loudly to .failed/ with the rows up to the last checkpoint reported.
     */
    private void changed(Exchange exchange, FileRun run, long stableMs) throws IOException {
        run.held.clear(); // their notifications wait in the batch, which is dropped unstored
        if (!run.stored && run.rereads < MAX_REREADS) {
            run.close();
            Files.deleteIfExists(run.report); // it holds the header only: nothing was checkpointed
            progress.finish(run.name, run.hash, "FAILED", "the file changed while it was read; it is read again");
            run.rereads++;
            LOG.info("inbox file {} changed while it was read (still being written?); nothing of it was stored; reading it again ({} of {})",
                    run.name, run.rereads, MAX_REREADS);
            try {
                Thread.sleep(stableMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.setProperty(HubHeaders.INBOX_REREAD, true);
            return;
        }
        String reason = run.stored
                ? "the file changed while it was read (still being written?): rows up to " + run.committedRow
                  + " were taken (the lines above); the rows after it were not read, drop them again in a new file"
                : "the file kept changing while it was read (" + MAX_REREADS + " reads); nothing of it was stored; drop it again once it is complete";
        run.write(run.committedRow + 1, "rejected", null, "file", reason);
        run.close();
        progress.finish(run.name, run.hash, "FAILED", reason);
        LOG.warn("inbox file {} refused: {}; moved to .failed/", run.name, reason);
        exchange.setProperty(HubHeaders.INBOX_MOVE_TO, ".failed/" + exchange.getProperty(HubHeaders.INBOX_ARCHIVE_NAME, String.class));
    }

    /** The exception types of a failure, outermost first: database messages can quote row values, so no messages. */
    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 500; c = c.getCause() == c ? null : c.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(c.getClass().getName());
        }
        return b.toString();
    }

    /** The CSV column a rejection names (the API's JSON path for NDJSON files, where the key is a member). */
    static String columnOf(String field, String fileName) {
        if (field == null) {
            return null;
        }
        if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            return "Idempotency-Key".equals(field) ? "idempotencyKey" : field;
        }
        return switch (field) {
            case "to.customerId" -> "customer_id";
            case "to.phone" -> "phone";
            case "to" -> "customer_id/phone";
            case "Idempotency-Key" -> "idempotency_key";
            default -> {
                if (field.startsWith("data.")) {
                    String f = field.substring(5);
                    if (f.endsWith(".currency")) {
                        yield f.substring(0, f.length() - 9) + NotificationRows.CURRENCY_SUFFIX;
                    }
                    yield f.endsWith(".amount") ? f.substring(0, f.length() - 7) : f;
                }
                yield field;
            }
        };
    }

    /** The file's first {@code size} bytes (what will be read) in one pass: SHA-256 and lines, for the progress' total. */
    private record Scan(String sha256, long lines) {
    }

    private static Scan scan(Path file, long size) throws IOException {
        try (InputStream in = new DigestInputStream(new BoundedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), size),
                MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[64 * 1024];
            long lines = 0;
            byte last = '\n';
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                last = buf[n - 1];
            }
            return new Scan(HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()), last == '\n' ? lines : lines + 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
