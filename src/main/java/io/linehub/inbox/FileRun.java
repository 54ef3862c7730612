package io.linehub.inbox;

import io.linehub.intake.IntakeBatch;
import io.linehub.intake.IntakeRejection;
import io.linehub.rows.NotificationRow;
import io.linehub.rows.NotificationRows;
import io.linehub.outbox.EnqueueOutcome;
import io.linehub.outbox.NewNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One run over one inbox file ({@link InboxFiles} drives it): its report and counters, the rows held for the next
 * checkpoint, and the checkpoints. Rows arrive one at a time (the split is sequential); checkpoints are stored on a
 * store thread, one at a time and in order (decision 0033).
 */
final class FileRun {
    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class); // the inbox's log lines, as before

    /** A row whose report line waits for the checkpoint: its notification's slot in the batch, or why it was refused. */
    record Held(long row, IntakeBatch.Slot slot, IntakeRejection refused) {
    }

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
            append(InboxFiles.REPORT_HEADER);
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
        List<Held> heldRows = new ArrayList<>(held);
        held.clear();
        List<NewNotification> notifications = batch.take();
        long upTo = lastRow;
        storing = files.storeThreads.submit(() -> {
            store(files, heldRows, notifications, upTo);
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
            write(h.row(), "rejected", null, column != null ? column : InboxFiles.columnOf(refused.field(), name), refused.reason());
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
