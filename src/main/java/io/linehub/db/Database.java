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
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (url.startsWith("jdbc:h2:file:") && inUse(e)) {
                throw new IllegalStateException("the embedded H2 database " + url.substring("jdbc:h2:file:".length()).split(";")[0]
                        + " is in use by another hub: embedded H2 serves one hub only. Stop the other hub, give this one its own"
                        + " HUB_DATA_DIR, or run several hubs on one PostgreSQL (HUB_DB_URL)", e);
            }
            throw e;
        }
    }

    /** H2's "Database may be already in use" (error 90020): another process has the file open. */
    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the migrations in classpath:db/migration; the same history runs on H2 and PostgreSQL. On PostgreSQL also
     * those in classpath:db/postgresql (Quartz's clustered job store: its tables are only needed where several hubs
     * share the database; the claims' partial index by channel); on H2 those in classpath:db/h2 (the same index, whole).
     */
    public static void migrate(javax.sql.DataSource dataSource) {
        String[] locations;
        try (java.sql.Connection c = dataSource.getConnection()) {
            locations = isPostgres(c.getMetaData().getURL())
                    ? new String[]{"classpath:db/migration", "classpath:db/postgresql"}
                    : new String[]{"classpath:db/migration", "classpath:db/h2"};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach the hub database to migrate it", e);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .load()
                .migrate();
    }

    /** Whether a JDBC URL is PostgreSQL's: several hubs may share it (a cluster). */
    public static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }
}
