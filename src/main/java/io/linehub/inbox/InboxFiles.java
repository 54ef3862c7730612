package io.linehub.inbox;

import io.linehub.headers.HubHeaders;
import io.linehub.intake.RequestRejectedException;
import io.linehub.intake.IntakeBatch;
import io.linehub.intake.IntakeRejection;
import io.linehub.json.Json;
import io.linehub.rows.NotificationRow;
import io.linehub.rows.NotificationRows;
import io.linehub.rows.UnreadableRowsException;
import io.linehub.outbox.EnqueueOutcome;
import io.linehub.outbox.NotificationQueue;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The steps of the inbox route (routes/file-inbox.camel.yaml): open a dropped file (content hash, progress,
 * report), turn each row into the API's JSON for {@code direct:intake}, whose notifications wait in the file's
 * {@link IntakeBatch}; every few hundred rows a checkpoint stores the batch ({@code NotificationQueue.enqueueAll}), then writes
 * the rows' outcomes to {@code reports/<file>.result.csv}, then saves the progress; and finish.
 */
public class InboxFiles {

    static final String REPORT_HEADER = "row,result,notification_id,field,reason\r\n";
    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final FileProgress progress;
    private final NotificationQueue outbox;
    private final Path reportsDir;
    private final String owner;
    private final int checkpointRows;
    private final Clock clock;

    public InboxFiles(FileProgress progress, NotificationQueue outbox, Path reportsDir, String owner, int checkpointRows, Clock clock) {
        this.progress = progress;
        this.outbox = outbox;
        this.reportsDir = reportsDir;
        this.owner = owner;
        this.checkpointRows = checkpointRows;
        this.clock = clock;
    }

    /** The file consumer's file: hash it, start or resume its run, open the report; the body becomes the row iterator. */
    public NotificationRows open(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        String hash = sha256(file);
        FileProgress.Start start = progress.start(name, hash, owner);
        Files.createDirectories(reportsDir);
        Path report = reportsDir.resolve(name + ".result.csv");
        if (!start.resumed() && Files.exists(report)) {
            Files.move(report, reportsDir.resolve(name + "." + STAMP.format(clock.instant()) + ".result.csv"));
        }
        FileRun run = new FileRun(name, hash, report, start, new IntakeBatch(outbox));
        if (start.resumed()) {
            LOG.info("inbox file {} resumes after row {} (run {})", name, start.lastRow(), start.run());
        } else {
            LOG.info("inbox file {} started (run {})", name, start.run());
        }
        NotificationRows rows;
        try {
            InputStream in = Files.newInputStream(file);
            try {
                rows = NotificationRows.open(in, name, start.lastRow());
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (UnreadableRowsException e) {
            run.write(0, "rejected", null, "file", e.getMessage());
            run.close();
            progress.finish(name, hash, "FAILED", e.getMessage());
            LOG.warn("inbox file {} cannot be read: {}", name, e.getMessage());
            throw e;
        }
        run.rows = rows;
        exchange.setProperty(HubHeaders.INBOX_RUN, run);
        // intake leaves each row's notification in the run's batch; the checkpoints store it
        exchange.setProperty(HubHeaders.INTAKE_BATCH, run.batch);
        // a run that fails part-way (database down) keeps its progress row for the resume; close its files
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
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
        return rows;
    }

    /** One row: the notification JSON as the body and its idempotency key (the row's own, else file hash + row). */
    public void request(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        NotificationRow row = m.getMandatoryBody(NotificationRow.class);
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        exchange.setProperty(HubHeaders.INBOX_ROW_NUMBER, row.row());
        if (row.request() == null) {
            throw new RequestRejectedException(row.errorField(), row.errorReason());
        }
        m.setHeader("Idempotency-Key", row.idempotencyKey() != null ? row.idempotencyKey() : "file:" + run.hash + ":" + row.row());
        m.setBody(Json.write(row.request()).getBytes(StandardCharsets.UTF_8));
    }

    /** Intake took the row: its notification waits in the file's batch, and its report line for the batch's outcome. */
    public void queued(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        IntakeBatch.Slot slot = exchange.getMessage().getMandatoryBody(IntakeBatch.Slot.class);
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        run.hold(new Held(exchange.getProperty(HubHeaders.INBOX_ROW_NUMBER, Long.class), slot, null));
    }

    /** Intake (or reading) refused the row: the report will name the column and the reason. Other rows go on. */
    public void rejected(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IntakeRejection why = IntakeRejection.of(e);
        if (why.retryable()) {
            throw new IllegalStateException("inbox row could not be stored; the file will be retried", e);
        }
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        Long row = exchange.getProperty(HubHeaders.INBOX_ROW_NUMBER, Long.class);
        if (row == null) {
            row = exchange.getMessage().getBody(NotificationRow.class).row();
        }
        run.hold(new Held(row, null, why));
    }

    /** After every {@code checkpointRows} rows: a checkpoint (see {@link FileRun#checkpoint}). */
    public void checkpointIfDue(Exchange exchange) throws IOException {
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        if (run.held.size() >= checkpointRows) {
            run.checkpoint(this);
        }
    }

    /** All rows done: last checkpoint, status DONE (or FAILED when reading broke off), report closed. */
    public void finish(Exchange exchange) throws IOException {
        FileRun run = exchange.getProperty(HubHeaders.INBOX_RUN, FileRun.class);
        boolean broken = run.rows.broken();
        run.rows.close();
        run.checkpoint(this);
        run.close();
        progress.finish(run.name, run.hash, broken ? "FAILED" : "DONE", broken ? "reading broke off after row " + run.lastRow : null);
        LOG.info("inbox file {} {}: {} accepted, {} rejected; report {}", run.name, broken ? "broke off" : "done", run.accepted, run.rejected,
                run.report.getFileName());
        if (broken) {
            throw new InboxFileException("inbox file " + run.name + " could not be read to the end; see its report");
        }
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

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
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
        NotificationRows rows;
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

        /**
         * The batch's notifications first (committed), then the rows' report lines with their real outcomes,
         * then the progress row. A crash in between is harmless: the run resumes after the previous checkpoint and
         * the rows read again find their notifications by idempotency key ("duplicate").
         */
        void checkpoint(InboxFiles files) throws IOException {
            List<EnqueueOutcome> outcomes = batch.flush();
            for (Held h : held) {
                IntakeRejection refused = h.refused();
                if (refused == null) {
                    EnqueueOutcome o = outcomes.get(h.slot().index());
                    if (o.refusal() == null) {
                        accepted++;
                        write(h.row(), o.result().created() ? "accepted" : "duplicate", o.result().id(), null, null);
                        continue;
                    }
                    refused = IntakeRejection.of(o.refusal());
                }
                rejected++;
                write(h.row(), "rejected", null, columnOf(refused.field(), name), refused.reason());
            }
            held.clear();
            flush();
            out.force(false);
            files.progress.checkpoint(name, hash, lastRow, reportBytes, accepted, rejected);
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

        private static String csv(String s) {
            if (s == null) {
                return "";
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
            return s;
        }
    }
}
