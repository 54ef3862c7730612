package io.linehub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;

/** The hub's own database: embedded H2 in file mode by default, PostgreSQL in production; schema by Flyway. */
public final class Database {

    private Database() {
    }

    /**
     * The JDBC URL of the embedded default under the data directory (PostgreSQL mode, so SQL stays portable).
     * {@code WRITE_DELAY=0}: H2 otherwise writes committed transactions to its file up to half a second later, so a
     * killed hub would forget notifications it had accepted and outcomes it had recorded. H2 then runs no store
     * housekeeping of its own: {@link H2Housekeeping} does. {@code RETENTION_TIME=5000}: a chunk's space may be
     * reused 5 s after it fell out of use (H2's default 45 s would keep up to gigabytes of them during an intake
     * burst); {@link H2Housekeeping} forces the file to disk every second, well within that.
     */
    public static String embeddedH2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("hub")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;RETENTION_TIME=5000";
    }

    public static HikariDataSource open(String poolName, String url, String user, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxPoolSize);
        if (url.startsWith("jdbc:postgresql:")) {
            // batched INSERTs (outcomes, history) go to the server as multi-row statements: far less work for it
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(config);
    }

    /** Applies the migrations in classpath:db/migration; the same history runs on H2 and PostgreSQL. */
    public static void migrate(javax.sql.DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
