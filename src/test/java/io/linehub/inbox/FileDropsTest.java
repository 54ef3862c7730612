package io.linehub.inbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code GET /api/files/{name}} shows of a file in each state of its run, straight from file_intake: in
 * particular a file being read whose total is not known yet (the first moments of a drop), which once answered 500.
 */
class FileDropsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:10Z");

    @TempDir
    Path reports;
    private HikariDataSource db;
    private FileDrops drops;

    @BeforeEach
    void open() {
        db = Database.open("file-drops", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", null, null, 2);
        Database.migrate(db);
        drops = new FileDrops(db, reports, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void row(String name, String status, long lastRow, Long totalRows) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO file_intake"
                + " (file_name, content_hash, status, runs, last_row, accepted, started_at, updated_at, total_rows) VALUES (?,?,?,1,?,?,?,?,?)")) {
            ps.setString(1, name);
            ps.setString(2, "h-" + name);
            ps.setString(3, status);
            ps.setLong(4, lastRow);
            ps.setLong(5, lastRow);
            ps.setObject(6, OffsetDateTime.ofInstant(NOW.minusSeconds(10), ZoneOffset.UTC));
            ps.setObject(7, OffsetDateTime.ofInstant(NOW.minusSeconds(1), ZoneOffset.UTC));
            ps.setObject(8, totalRows);
            ps.executeUpdate();
        }
    }

    @Test
    void aFileBeingReadWhoseTotalIsNotKnownYetHasNoProgressAndNoEstimate() throws Exception {
        row("early.csv", "PROCESSING", 40, null);
        Map<String, Object> f = drops.find("early.csv").orElseThrow();
        assertThat(f.get("state")).isEqualTo("reading");
        assertThat(f.get("rowsRead")).isEqualTo(40L);
        assertThat(f.get("totalRows")).isNull();
        assertThat(f.get("progress")).isNull();
        assertThat(f.get("rowsPerSecond")).isEqualTo(4.0);
        assertThat(f.get("estimatedSecondsLeft")).isNull();
        assertThat(f.get("finishedAt")).isNull();
    }

    @Test
    void progressIsTheShareReadWhileReadingOneWhenDoneAndNoneWhenFailed() throws Exception {
        row("half.csv", "PROCESSING", 50, 200L);
        row("done.csv", "DONE", 200, 200L);
        row("failed.csv", "FAILED", 10, null);
        row("empty.csv", "PROCESSING", 0, 0L);
        assertThat(drops.find("half.csv").orElseThrow().get("progress")).isEqualTo(0.25);
        assertThat(drops.find("half.csv").orElseThrow().get("estimatedSecondsLeft")).isEqualTo(30L);
        assertThat(drops.find("done.csv").orElseThrow().get("progress")).isEqualTo(1.0);
        assertThat(drops.find("failed.csv").orElseThrow().get("progress")).isNull();
        assertThat(drops.find("failed.csv").orElseThrow().get("state")).isEqualTo("failed");
        assertThat(drops.find("empty.csv").orElseThrow().get("progress")).isNull();
    }
}
