package io.linehub.api;

import io.linehub.headers.HubHeaders;
import io.linehub.intake.RequestRejectedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.rows.NotificationRow;
import io.linehub.rows.NotificationRows;
import io.linehub.intake.IntakeRejection;
import io.linehub.json.Json;
import io.linehub.outbox.EnqueueResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/notifications/batch}: a JSON array or NDJSON of notifications in the API's form, each sent
 * through {@code direct:intake} on its own; the answer lists every item's id or error, in order (partial
 * success: 200 when all were accepted, 207 when some were refused).
 */
public class BatchApi {

    public static final int MAX_ITEMS = 1000;
    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

    /** One item: the notification JSON (or why it is not one) and its own idempotency key. */
    public record Item(int index, ObjectNode request, String idempotencyKey, String errorField, String errorReason) {
    }

    /** The body as items, by Content-Type: application/json (array) or application/x-ndjson (one per line). */
    public List<Item> items(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        byte[] raw = m.getBody(byte[].class);
        if (raw == null || raw.length == 0) {
            throw new RequestRejectedException("body", "is empty; send a JSON array or NDJSON of notifications");
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String type = ApiRequests.mediaType(m.getHeader(Exchange.CONTENT_TYPE));
        List<Item> items = new ArrayList<>();
        if (type.equals("application/x-ndjson") || type.equals("application/ndjson") || type.equals("application/jsonl")) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new RequestRejectedException("body", "is not UTF-8 text");
            }
            try (NotificationRows rows = NotificationRows.ndjson(new StringReader(text))) {
                while (rows.hasNext()) {
                    NotificationRow r = rows.next();
                    add(items, r.request(), r.idempotencyKey(), r.errorField(), r.errorReason());
                }
            }
        } else if (type.equals("application/json")) {
            JsonNode root;
            try {
                root = Json.parseUntrusted(raw);
            } catch (Json.UntrustedJsonException e) {
                throw new RequestRejectedException(e.field(), e.reason());
            }
            if (root == null || !root.isArray()) {
                throw new RequestRejectedException("body", "must be a JSON array of notifications");
            }
            for (JsonNode n : root) {
                if (!(n instanceof ObjectNode obj)) {
                    add(items, null, null, "body", "must be a JSON object");
                    continue;
                }
                JsonNode k = obj.remove("idempotencyKey");
                if (k != null && !k.isNull() && !k.isTextual()) {
                    add(items, null, null, "idempotencyKey", "must be a string");
                    continue;
                }
                add(items, obj, k == null || k.isNull() ? null : k.asText(), null, null);
            }
        } else {
            throw new RequestRejectedException(RequestRejectedException.Kind.UNSUPPORTED_FORMAT, "Content-Type", "must be application/json (an array) or application/x-ndjson");
        }
        if (items.isEmpty()) {
            throw new RequestRejectedException("body", "has no notifications");
        }
        if (items.size() > MAX_ITEMS) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "has " + items.size() + " notifications; at most " + MAX_ITEMS + " per batch");
        }
        exchange.setProperty(HubHeaders.BATCH_RESULTS, new ArrayList<Map<String, Object>>());
        exchange.setProperty(HubHeaders.BATCH_KEY, m.getHeader("Idempotency-Key", String.class));
        return items;
    }

    private static void add(List<Item> items, ObjectNode request, String key, String field, String reason) {
        if (request != null) {
            try {
                Json.checkText(request, "");
            } catch (Json.UntrustedJsonException e) {
                items.add(new Item(items.size(), null, null, e.field(), e.reason()));
                return;
            }
        }
        items.add(new Item(items.size(), request, key, field, reason));
    }

    /** One item: its JSON as the body; its key is its own idempotencyKey, else the request's Idempotency-Key + ":" + index. */
    public void request(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        Item item = m.getMandatoryBody(Item.class);
        exchange.setProperty(HubHeaders.BATCH_INDEX, item.index());
        if (item.request() == null) {
            throw new RequestRejectedException(item.errorField(), item.errorReason());
        }
        String batchKey = exchange.getProperty(HubHeaders.BATCH_KEY, String.class);
        m.removeHeaders("*");
        if (item.idempotencyKey() != null) {
            m.setHeader("Idempotency-Key", item.idempotencyKey());
        } else if (batchKey != null) {
            m.setHeader("Idempotency-Key", batchKey + ":" + item.index());
        }
        m.setBody(Json.write(item.request()).getBytes(StandardCharsets.UTF_8));
    }

    public void accepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        EnqueueResult r = exchange.getMessage().getMandatoryBody(EnqueueResult.class);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("index", exchange.getProperty(HubHeaders.BATCH_INDEX));
        result.put("id", r.id());
        result.put("status", r.status().name());
        results(exchange).add(result);
    }

    public void rejected(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IntakeRejection why = IntakeRejection.of(e);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", switch (why.error()) {
            case "invalid_request" -> e instanceof RequestRejectedException rr ? ApiErrors.status(rr.kind()) : 400;
            case "internal_error" -> 500;
            default -> 422;
        });
        error.put("error", why.error());
        if (why.field() != null) {
            error.put("field", why.field());
        }
        error.put("reason", why.reason());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("index", exchange.getProperty(HubHeaders.BATCH_INDEX));
        result.put("error", error);
        results(exchange).add(result);
    }

    /** The answer: every item's result in order; 200 when all were accepted, 207 otherwise. */
    public void respond(Exchange exchange) {
        List<Map<String, Object>> results = results(exchange);
        boolean allAccepted = results.stream().allMatch(r -> r.containsKey("id"));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, allAccepted ? 200 : 207);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(Json.write(results));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Exchange exchange) {
        return exchange.getProperty(HubHeaders.BATCH_RESULTS, List.class);
    }
}
