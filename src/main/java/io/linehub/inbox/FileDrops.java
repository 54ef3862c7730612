package io.linehub.inbox;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of file drops as {@code GET /api/files} and the dashboard show it, read from the {@code file_intake}
 * rows the inbox writes at every checkpoint ({@link FileProgress}): nothing is kept in memory, so the figures survive a
 * restart and show the files other hubs of a cluster are reading. Rate and time left come from the rows read since the
 * file's first start.
 */
public class FileDrops {

    private static final String COLUMNS = "file_name, content_hash, status, runs, last_row, accepted, rejected, error, started_at,"
            + " updated_at, total_rows, size_bytes, report_name, report_bytes";

    private final DataSource db;
    private final Path reportsDir;
    private final Duration recent;
    private final Clock clock;

    public FileDrops(DataSource db, Path reportsDir, Duration recent, Clock clock) {
        this.db = db;
        this.reportsDir = reportsDir;
        this.recent = recent;
        this.clock = clock;
    }

    /** Files being read, and those finished within the recent window, newest first. */
    public List<Map<String, Object>> list(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM file_intake WHERE status = 'PROCESSING' OR updated_at >= ? ORDER BY updated_at DESC LIMIT ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(clock.instant().minus(recent), java.time.ZoneOffset.UTC));
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(view(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox files' progress", e);
        }
        return out;
    }

    /** The latest run of the file with this name (any age). */
    public Optional<Map<String, Object>> find(String name) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM file_intake WHERE file_name = ? ORDER BY updated_at DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inbox file's progress", e);
        }
    }

    /** The report of the file's latest run up to its last checkpoint (what is final), or empty when it has none. */
    public Optional<Report> report(String name) throws IOException {
        Optional<Map<String, Object>> file = find(name);
        if (file.isEmpty() || file.get().get("reportName") == null) {
            return Optional.empty();
        }
        String reportName = (String) file.get().get("reportName");
        Path report = reportsDir.resolve(reportName).normalize();
        if (!report.getParent().equals(reportsDir.normalize()) || !Files.isRegularFile(report)) {
            return Optional.empty();
        }
        long bytes = ((Number) file.get().get("reportBytes")).longValue();
        long size = Files.size(report);
        return Optional.of(new Report(reportName, new BoundedInputStream(Files.newInputStream(report), bytes > 0 ? Math.min(bytes, size) : size)));
    }

    /** A report to download: its file name and its bytes. */
    public record Report(String fileName, InputStream content) {
    }

    private Map<String, Object> view(ResultSet rs) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>();
        String status = rs.getString("status");
        Instant started = rs.getObject("started_at", OffsetDateTime.class).toInstant();
        Instant updated = rs.getObject("updated_at", OffsetDateTime.class).toInstant();
        long lastRow = rs.getLong("last_row");
        long total = rs.getLong("total_rows");
        boolean totalKnown = !rs.wasNull();
        boolean reading = status.equals("PROCESSING");
        v.put("name", rs.getString("file_name"));
        v.put("state", switch (status) {
            case "PROCESSING" -> "reading";
            case "DONE" -> "done";
            default -> "failed";
        });
        v.put("rowsRead", lastRow);
        v.put("accepted", rs.getLong("accepted"));
        v.put("rejected", rs.getLong("rejected"));
        v.put("totalRows", totalKnown ? total : null);
        // a Double throughout: "done ? 1.0 : (known ? ratio : null)" would unbox the inner null (a 500 while the total is not known yet)
        Double progress = null;
        if (status.equals("DONE")) {
            progress = 1.0;
        } else if (totalKnown && total > 0) {
            progress = Math.min(1.0, (double) lastRow / total);
        }
        v.put("progress", progress);
        v.put("startedAt", started.toString());
        v.put("updatedAt", updated.toString());
        v.put("finishedAt", reading ? null : updated.toString());
        double seconds = Duration.between(started, reading ? clock.instant() : updated).toMillis() / 1000.0;
        Double rate = seconds > 0 && lastRow > 0 ? Math.round(lastRow / seconds * 10) / 10.0 : null;
        v.put("rowsPerSecond", rate);
        v.put("estimatedSecondsLeft", reading && rate != null && totalKnown ? (long) Math.ceil(Math.max(0, total - lastRow) / rate) : null);
        long size = rs.getLong("size_bytes");
        v.put("sizeBytes", rs.wasNull() ? null : size);
        v.put("runs", rs.getInt("runs"));
        v.put("error", rs.getString("error"));
        v.put("contentHash", rs.getString("content_hash"));
        v.put("reportName", rs.getString("report_name"));
        v.put("reportBytes", rs.getLong("report_bytes"));
        return v;
    }
}
