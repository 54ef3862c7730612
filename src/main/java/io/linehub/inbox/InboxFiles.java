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
import io.linehub.outbox.EnqueueOutcome;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.NotificationQueue;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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

    private final FileProgress progress;
    private final NotificationQueue outbox;
    private final Path reportsDir;
    private final String owner;
    private final int checkpointRows;
    private final Clock clock;

    private InboxMetrics metrics = InboxMetrics.none();
    /** Where checkpoints are stored while the inbox reads on ({@link #storingOn}); null: on the inbox's thread. */
    private ExecutorService storeThreads;

    /** Counts the rows of each checkpoint (read, accepted, refused) in these meters. */
    public InboxFiles metered(InboxMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /**
     * Stores each file's checkpoints on these threads (one checkpoint of a file at a time, in order), so that the
     * inbox reads and decides the next rows meanwhile (decision 0033). The hub gives it a pool of Camel's.
     */
    public InboxFiles storingOn(ExecutorService threads) {
        this.storeThreads = threads;
        return this;
    }

    public InboxFiles(FileProgress progress, NotificationQueue outbox, Path reportsDir, String owner, int checkpointRows, Clock clock) {
        this.progress = progress;
        this.outbox = outbox;
        this.reportsDir = reportsDir;
        this.owner = owner;
        this.checkpointRows = checkpointRows;
        this.clock = clock;
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
                run.hold(new Held(row.row(), null, new IntakeRejection("invalid_request", row.errorField(), row.errorReason())));
                continue;
            }
            IntakeChunk.Outcome o = outcomes.get(next++);
            if (o.refusal() == null) {
                run.hold(new Held(row.row(), o.slot(), null));
                continue;
            }
            IntakeRejection why = IntakeRejection.of(o.refusal());
            if (why.retryable()) {
                throw new IllegalStateException("inbox row could not be stored; the file will be retried", o.refusal());
            }
            run.hold(new Held(row.row(), null, why));
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

    /** A row whose report line waits for the checkpoint: its notification's slot in the batch, or why it was refused. */
    private record Held(long row, IntakeBatch.Slot slot, IntakeRejection refused) {
    }

    /** One run over one file: its report and counters. Rows arrive one at a time (the split is sequential). */
    static final class FileRun {
        final String name;
        final String hash;
        final Path report;
        final FileChannel out;
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        final IntakeBatch batch;
        /** The rows since the last checkpoint, in order. */
        final List<Held> held = new ArrayList<>();
        /**
         * The checkpoint the store thread is storing, or null. While it runs, the store thread alone touches the
         * report ({@code out}, {@code buffer}, {@code reportBytes}), the counters and {@code committedRow}; the inbox's
         * thread reads them only after {@link #awaitStored}.
         */
        Future<?> storing;
        /** The chunk intake is taking (see {@link InboxFiles#requests}). */
        List<NotificationRow> chunk = List.of();
        NotificationRows rows;
        Path file;
        /** The file as it was opened: a change of size, time or identity means it was still being written. */
        BasicFileAttributes snapshot;
        /** The file was refused before any row was read (it is on its way to .failed/). */
        boolean refused;
        /** The file changed after it was opened. */
        boolean changed;
        /** Some of its rows are in the outbox (an earlier run's checkpoint, or this one's). */
        boolean stored;
        /** The last row of the last checkpoint. */
        long committedRow;
        int rereads;
        /** The last row number the file can have (see V26), for the progress line. */
        long totalRows;
        long reportBytes;
        long lastRow;
        long accepted;
        long rejected;

        FileRun(String name, String hash, Path report, FileProgress.Start start, IntakeBatch batch) throws IOException {
            this.name = name;
            this.hash = hash;
            this.report = report;
            this.batch = batch;
            this.lastRow = start.lastRow();
            this.committedRow = start.lastRow();
            this.stored = start.lastRow() > 0;
            this.accepted = start.accepted();
            this.rejected = start.rejected();
            this.out = FileChannel.open(report, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (start.resumed()) {
                out.truncate(start.reportBytes()); // lines written after the last checkpoint are written again
                reportBytes = start.reportBytes();
            } else {
                out.truncate(0);
            }
            out.position(reportBytes);
            if (reportBytes == 0) {
                append(REPORT_HEADER);
            }
        }

        void hold(Held row) {
            held.add(row);
            lastRow = row.row();
        }

        void write(long row, String result, String id, String field, String reason) throws IOException {
            append(row + "," + result + "," + (id == null ? "" : id) + "," + csv(field) + "," + csv(reason) + "\r\n");
        }

        /** Whether the file is no longer the one opened: other size, modification time or file (or gone). */
        boolean changedOnDisk() throws IOException {
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return true;
            }
            return now.size() != snapshot.size() || !now.lastModifiedTime().equals(snapshot.lastModifiedTime())
                    || !Objects.equals(now.fileKey(), snapshot.fileKey());
        }

        /**
         * Hands the rows held since the last checkpoint to the store thread (after waiting for the checkpoint before,
         * so checkpoints are stored one after the other, in order): the inbox reads and decides the next rows while
         * these are stored (decision 0033). The store thread stores the batch's notifications first (committed), then
         * writes the rows' report lines with their real outcomes, then the progress row. A crash in between is
         * harmless: the run resumes after the previous checkpoint and the rows read again find their notifications by
         * idempotency key ("duplicate"); rows read ahead of a checkpoint are read again too.
         *
         * @throws IOException (or the store's exception) when the checkpoint before failed: nothing after it is stored
         */
        void checkpoint(InboxFiles files) throws IOException {
            awaitStored();
            stored |= !held.isEmpty();
            List<Held> rows = new ArrayList<>(held);
            held.clear();
            List<NewNotification> notifications = batch.take();
            long upTo = lastRow;
            if (files.storeThreads == null) {
                store(files, rows, notifications, upTo);
                return;
            }
            storing = files.storeThreads.submit(() -> {
                store(files, rows, notifications, upTo);
                return null;
            });
        }

        /** Waits until the checkpoint handed to the store thread is stored; its failure is thrown here. */
        void awaitStored() throws IOException {
            Future<?> pending = storing;
            if (pending == null) {
                return;
            }
            storing = null;
            try {
                pending.get();
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while inbox file " + name + " stored a checkpoint");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException("inbox file " + name + ": storing a checkpoint failed", cause);
            }
        }

        /** {@link #awaitStored}, its failure only logged: the run is failing already. */
        void awaitStoredQuietly() {
            try {
                awaitStored();
            } catch (IOException | RuntimeException e) {
                LOG.debug("inbox file {}: the checkpoint being stored failed too: {}", name, e.getClass().getName());
            }
        }

        /** On the store thread: one checkpoint's notifications, report lines and progress row, in that order. */
        private void store(InboxFiles files, List<Held> rowsHeld, List<NewNotification> notifications, long upTo) throws IOException {
            List<EnqueueOutcome> outcomes = batch.store(notifications);
            int created = 0;
            int duplicates = 0;
            int refusedHere = 0;
            for (Held h : rowsHeld) {
                IntakeRejection refused = h.refused();
                if (refused == null) {
                    EnqueueOutcome o = outcomes.get(h.slot().index());
                    if (o.refusal() == null) {
                        accepted++;
                        if (o.result().created()) {
                            created++;
                        } else {
                            duplicates++;
                        }
                        write(h.row(), o.result().created() ? "accepted" : "duplicate", o.result().id(), null, null);
                        continue;
                    }
                    refused = IntakeRejection.of(o.refusal());
                }
                rejected++;
                refusedHere++;
                String column = rows == null ? null : rows.sourceColumn(refused.field());
                write(h.row(), "rejected", null, column != null ? column : columnOf(refused.field(), name), refused.reason());
            }
            flush();
            out.force(false);
            files.progress.checkpoint(name, hash, upTo, reportBytes, accepted, rejected);
            committedRow = upTo;
            files.metrics.rows(rowsHeld.size(), created + duplicates, refusedHere);
            // one line per checkpoint instead of one per row (each stored notification's line is at DEBUG)
            LOG.info("inbox file {} checkpoint: row {} of {}; {} queued, {} duplicates, {} rejected since the last; {} accepted, {} rejected in all",
                    name, upTo, totalRows, created, duplicates, refusedHere, accepted, rejected);
        }

        private void append(String line) throws IOException {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (b.length > buffer.remaining()) {
                flush();
            }
            if (b.length > buffer.capacity()) {
                out.write(ByteBuffer.wrap(b));
            } else {
                buffer.put(b);
            }
            reportBytes += b.length;
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            buffer.clear();
        }

        void close() throws IOException {
            if (out.isOpen()) {
                flush();
                out.close();
            }
        }

        /**
         * A report cell: quoted when it holds a separator, quote or line break; and, since field names and reasons can
         * quote the file's own header, prefixed with {@code '} when it starts like a spreadsheet formula (=, +, -, @,
         * tab, CR: OWASP's advice against CSV injection).
         */
        static String csv(String s) {
            if (s == null) {
                return "";
            }
            if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
            return s;
        }
    }
}
