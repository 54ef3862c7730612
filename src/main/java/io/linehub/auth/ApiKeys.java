package io.linehub.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The hub's API keys: generation (256 random bits from {@link SecureRandom}), storage as SHA-256 only
 * ({@code api_key}), verification in constant time ({@link MessageDigest#isEqual}) against every active key,
 * scopes, revocation, and when each key was last used.
 * <p>
 * Hot path: the active keys' hashes are held in memory and reloaded from the database when older than the cache
 * time ({@code HUB_API_KEY_CACHE_SECONDS}, default 5 s), and at once after a create or revoke in this hub; a key
 * revoked by another hub of a cluster stops working here within that time. A request never writes the database:
 * uses are noted in memory and written by {@link #flushLastUsed()} (scheduled once a minute).
 * <p>
 * The key from {@code HUB_API_KEY} is held in memory only (its hash); its row ({@code id = env}, no hash) lists it
 * and records its use.
 */
public class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    /** The shortest key HUB_API_KEY may hold. */
    public static final int MIN_ENVIRONMENT_KEY_LENGTH = 32;
    public static final String ENVIRONMENT_ID = "env";
    public static final String ENVIRONMENT_NAME = "HUB_API_KEY";
    public static final String QUICK_START_NAME = "quick-start";
    static final String PREFIX = "lnh_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Active(ApiKey key, byte[] hash) {
    }

    private record Snapshot(List<Active> keys, long loadedAtNanos) {
    }

    private final DataSource db;
    private final Clock clock;
    private final long cacheNanos;
    private volatile Active environmentKey;
    private volatile Snapshot snapshot;
    private final Object reloadLock = new Object();
    /** Uses not yet written: key id → last use. */
    private final Map<String, Instant> pendingUse = new ConcurrentHashMap<>();

    public ApiKeys(DataSource db, Clock clock, Duration cacheTime) {
        this.db = db;
        this.clock = clock;
        this.cacheNanos = cacheTime.toNanos();
    }

    // ------------------------------------------------------------------------------------------- start-up

    /**
     * Refuses a HUB_API_KEY that is too short; the message names the setting and the rule, never the value.
     * Null (unset) passes.
     */
    public static void checkEnvironmentKey(String key) {
        if (key != null && key.length() < MIN_ENVIRONMENT_KEY_LENGTH) {
            throw new IllegalArgumentException("HUB_API_KEY must be at least " + MIN_ENVIRONMENT_KEY_LENGTH
                    + " characters (it has " + key.length() + "); generate one with e.g. `openssl rand -hex 32`");
        }
    }

    /** The key HUB_API_KEY sets (every scope), or null to have none: without it, its row is marked revoked. */
    public void useEnvironmentKey(String key) {
        checkEnvironmentKey(key);
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            if (key == null) {
                environmentKey = null;
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                    ps.setObject(1, utc(now));
                    ps.setString(2, ENVIRONMENT_ID);
                    ps.executeUpdate();
                }
                return;
            }
            Instant createdAt = now;
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM api_key WHERE id = ?")) {
                ps.setString(1, ENVIRONMENT_ID);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        createdAt = instant(rs, 1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_key SET revoked_at = NULL, scopes = ? WHERE id = ?")) {
                ps.setString(1, words(EnumSet.allOf(Scope.class)));
                ps.setString(2, ENVIRONMENT_ID);
                if (ps.executeUpdate() == 0) {
                    insert(c, ENVIRONMENT_ID, ENVIRONMENT_NAME, null, EnumSet.allOf(Scope.class), "environment", now);
                }
            } catch (SQLException e) {
                // another hub of the cluster inserted it meanwhile
                if (!exists(c, ENVIRONMENT_ID)) {
                    throw e;
                }
            }
            environmentKey = new Active(new ApiKey(ENVIRONMENT_ID, ENVIRONMENT_NAME, EnumSet.allOf(Scope.class), "environment", createdAt, null),
                    sha256(key));
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the HUB_API_KEY key", e);
        }
    }

    /** Whether any key can call the API: HUB_API_KEY, or an active stored key. */
    public boolean anyKey() {
        return environmentKey != null || !active().isEmpty();
    }

    /**
     * The quick start (the sandbox without HUB_API_KEY): makes sure {@code file} holds an active key with every
     * scope. A file whose key is still active is kept; otherwise a new key named quick-start is generated, its hash
     * stored and its text written to the file (mode 600 where the file system has POSIX permissions).
     *
     * @return true when a new key was generated
     */
    public boolean ensureQuickStartKey(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!existing.isEmpty() && find(sha256(existing)).isPresent()) {
                    return false;
                }
            }
            CreatedApiKey created = create(QUICK_START_NAME, EnumSet.allOf(Scope.class), "quick-start");
            writePrivately(file, created.secret() + "\n");
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the quick-start API key to " + file.toAbsolutePath(), e);
        }
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp-" + UUID.randomUUID());
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file exists: " + tmp, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ------------------------------------------------------------------------------------------- requests

    /**
     * The key whose text was presented, if it holds {@code scope}. Compares the presented key's SHA-256 with every
     * active key's in constant time. Notes the use (written later). Never writes the database.
     *
     * @throws ApiKeyRejectedException MISSING (null or blank), UNKNOWN (no active key), MISSING_SCOPE
     */
    public ApiKey authorize(String presented, Scope scope) {
        if (presented == null || presented.isBlank()) {
            throw new ApiKeyRejectedException(ApiKeyRejectedException.Reason.MISSING,
                    "this API needs an API key: send it as the header Authorization: Bearer <key>");
        }
        ApiKey key = find(sha256(presented)).orElseThrow(() -> new ApiKeyRejectedException(ApiKeyRejectedException.Reason.UNKNOWN,
                "the API key is not valid (unknown or revoked)"));
        pendingUse.merge(key.id(), clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
        if (!key.has(scope)) {
            throw new ApiKeyRejectedException(ApiKeyRejectedException.Reason.MISSING_SCOPE,
                    "this API key does not have the scope '" + scope.word() + "' this operation needs");
        }
        return key;
    }

    /** Constant time over the active keys: every hash is compared, whatever matched before. */
    private Optional<ApiKey> find(byte[] hash) {
        ApiKey found = null;
        Active env = environmentKey;
        if (env != null && MessageDigest.isEqual(env.hash(), hash)) {
            found = env.key();
        }
        for (Active a : active()) {
            if (MessageDigest.isEqual(a.hash(), hash) && found == null) {
                found = a.key();
            }
        }
        return Optional.ofNullable(found);
    }

    private List<Active> active() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.loadedAtNanos() >= cacheNanos) {
            synchronized (reloadLock) {
                s = snapshot;
                if (s == null || System.nanoTime() - s.loadedAtNanos() >= cacheNanos) {
                    s = new Snapshot(load(), System.nanoTime());
                    snapshot = s;
                }
            }
        }
        return s.keys();
    }

    private List<Active> load() {
        List<Active> keys = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, scopes, source, created_at, last_used_at, key_hash FROM api_key WHERE revoked_at IS NULL AND key_hash IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(new Active(key(rs), HexFormat.of().parseHex(rs.getString(7))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the API keys", e);
        }
        return List.copyOf(keys);
    }

    // ------------------------------------------------------------------------------------------- management

    /** A new key; its text is in the answer only. Blank names and empty scopes are refused (IllegalArgumentException). */
    public CreatedApiKey create(String name, Set<Scope> scopes) {
        return create(name, scopes, "api");
    }

    private CreatedApiKey create(String name, Set<Scope> scopes, String source) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a key needs a name of 1 to 100 characters");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            insert(c, id, name, HexFormat.of().formatHex(sha256(secret)), scopes, source, now);
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the new API key", e);
        }
        snapshot = null;
        return new CreatedApiKey(new ApiKey(id, name, scopes, source, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null), secret);
    }

    /** The active keys (HUB_API_KEY's included), oldest first, with their last use (noted ones not yet written included). */
    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, scopes, source, created_at, last_used_at FROM api_key WHERE revoked_at IS NULL ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ApiKey k = key(rs);
                Instant pending = pendingUse.get(k.id());
                if (pending != null && (k.lastUsedAt() == null || pending.isAfter(k.lastUsedAt()))) {
                    k = k.usedAt(pending);
                }
                keys.add(k);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list the API keys", e);
        }
        return keys;
    }

    /**
     * Revokes a key: from now on it is refused by this hub (by the others of a cluster within the cache time).
     *
     * @return the key revoked, or empty when there is no active key with this id
     * @throws KeyNotRevocableException for the HUB_API_KEY key
     */
    public Optional<ApiKey> revoke(String id) {
        if (ENVIRONMENT_ID.equals(id)) {
            throw new KeyNotRevocableException("the key from HUB_API_KEY is revoked by changing or removing that setting");
        }
        Optional<ApiKey> key = list().stream().filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            return key;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, utc(clock.instant()));
            ps.setString(2, id);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not revoke the API key", e);
        }
        snapshot = null;
        pendingUse.remove(id);
        return key;
    }

    /** Writes the uses noted since the last call (one UPDATE per key used); the scheduler calls it once a minute. */
    public void flushLastUsed() {
        if (pendingUse.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
            List<Map.Entry<String, Instant>> taken = new ArrayList<>();
            for (Map.Entry<String, Instant> e : pendingUse.entrySet()) {
                taken.add(Map.entry(e.getKey(), e.getValue()));
                ps.setObject(1, utc(e.getValue()));
                ps.setString(2, e.getKey());
                ps.setObject(3, utc(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
            for (Map.Entry<String, Instant> e : taken) {
                pendingUse.remove(e.getKey(), e.getValue());
            }
        } catch (SQLException e) {
            LOG.warn("could not record when API keys were last used: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static void insert(Connection c, String id, String name, String hash, Set<Scope> scopes, String source, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_key (id, name, key_hash, scopes, source, created_at) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, hash);
            ps.setString(4, words(scopes));
            ps.setString(5, source);
            ps.setObject(6, utc(at));
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_key WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String w : rs.getString(3).split(",")) {
            if (!w.isBlank()) {
                scopes.add(Scope.of(w.trim()));
            }
        }
        return new ApiKey(rs.getString(1), rs.getString(2), scopes, rs.getString(4), instant(rs, 5), instant(rs, 6));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /** Scopes as stored and shown: their words in a fixed order. */
    static String words(Set<Scope> scopes) {
        return scopes.stream().map(Scope::word).collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(","));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
