package io.linehub.outbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Packing, inside the claim's transaction: identical pushes (same channel and content) become multicast batches of
 * up to {@value #MULTICAST_MAX}, stored with their own retry key, so a batch (and its retry key) survives a crash as
 * one unit; a batch claimed again goes out exactly as first sent.
 */
final class MulticastPacking {

    static final int MULTICAST_MAX = 500;

    private MulticastPacking() {
    }

    /** Singles stay singles; pushes are grouped into multicast batches (existing batches are re-sent as they were). */
    static List<OutboxEntry> toEntries(Connection c, List<ClaimedRow> rows, OffsetDateTime now, boolean packPushes) throws SQLException {
        List<OutboxEntry> entries = new ArrayList<>();
        Map<String, List<ClaimedRow>> existingBatches = new LinkedHashMap<>();
        Map<String, List<ClaimedRow>> packable = new LinkedHashMap<>();
        for (ClaimedRow r : rows) {
            if (r.batchId() != null) {
                existingBatches.computeIfAbsent(r.batchId(), k -> new ArrayList<>()).add(r);
            } else if (r.op().equals("push") && r.digest() != null && packPushes) {
                packable.computeIfAbsent(r.channel() + "\u0000" + r.digest(), k -> new ArrayList<>()).add(r);
            } else {
                entries.add(single(r, now));
            }
        }
        for (Map.Entry<String, List<ClaimedRow>> b : existingBatches.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, retry_key, line_request FROM multicast_batch WHERE id = ?")) {
                ps.setString(1, b.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    // the batch goes out exactly as first sent, so LINE's retry-key memory recognises it
                    entries.add(new OutboxEntry(b.getKey(), rs.getString(1), "multicast", rs.getString(3), null,
                            b.getValue().get(0).attempts() + 1, now.toInstant(), rs.getString(2), b.getValue().stream().map(ClaimedRow::id).toList(),
                            b.getValue().get(0).type(), earliestDue(b.getValue())));
                }
            }
        }
        for (List<ClaimedRow> group : packable.values()) {
            for (int from = 0; from < group.size(); from += MULTICAST_MAX) {
                List<ClaimedRow> chunk = group.subList(from, Math.min(group.size(), from + MULTICAST_MAX));
                if (chunk.size() == 1) {
                    entries.add(single(chunk.get(0), now));
                } else {
                    entries.add(newBatch(c, chunk, now));
                }
            }
        }
        return entries;
    }

    private static OutboxEntry single(ClaimedRow r, OffsetDateTime now) {
        return new OutboxEntry(r.id(), r.channel(), r.op(), r.request(), r.tag(), r.attempts() + 1, now.toInstant(), r.retryKey(), null,
                r.type(), r.dueSince());
    }

    private static java.time.Instant earliestDue(List<ClaimedRow> rows) {
        return rows.stream().map(ClaimedRow::dueSince).filter(java.util.Objects::nonNull).min(java.util.Comparator.naturalOrder()).orElse(null);
    }

    private static OutboxEntry newBatch(Connection c, List<ClaimedRow> chunk, OffsetDateTime now) throws SQLException {
        String batchId = NotificationIds.newId();
        String retryKey = UUID.randomUUID().toString();
        ObjectNode first = (ObjectNode) Json.read(chunk.get(0).request());
        ObjectNode request = Json.MAPPER.createObjectNode();
        ArrayNode to = request.putArray("to");
        chunk.forEach(r -> to.add(r.userId()));
        for (var it = first.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getKey().equals("to")) {
                request.set(f.getKey(), f.getValue());
            }
        }
        String json = Json.write(request);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO multicast_batch (id, channel, retry_key, line_request, recipients, created_at)"
                + " VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, batchId);
            ps.setString(2, chunk.get(0).channel());
            ps.setString(3, retryKey);
            ps.setString(4, json);
            ps.setInt(5, chunk.size());
            ps.setObject(6, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET batch_id = ? WHERE id = ?")) {
            for (ClaimedRow r : chunk) {
                ps.setString(1, batchId);
                ps.setString(2, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new OutboxEntry(batchId, chunk.get(0).channel(), "multicast", json, null, chunk.get(0).attempts() + 1, now.toInstant(),
                retryKey, chunk.stream().map(ClaimedRow::id).toList(), chunk.get(0).type(), earliestDue(chunk));
    }
}
