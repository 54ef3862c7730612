package io.linehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An engineer's field mapping ({@code mapping} of the mapped-* route templates, docs/integrations.md): comma-separated
 * {@code field=SOURCE} pairs, where SOURCE is a column name, a column position (headerless and fixed-width files), a
 * JSONPath (webhooks) or a {@code 'constant'}, optionally followed by the source's pattern after {@code |}
 * ({@code shippedDate=SHIP_DATE|yyyy/MM/dd}, {@code amount=AMT|#,##0}, {@code dueDate=DUE|dd/MM/yyyy|buddhist}).
 * Parsed once when the route is created, so a bad mapping stops the hub at start with the reason.
 * <p>
 * Targets: {@code phone}, {@code customerId}, {@code userId} (the recipient), {@code channel}, {@code via},
 * {@code sendAt}, {@code expiresAt}, {@code language}, {@code idempotencyKey}, {@code type}, {@code data} (a JSON
 * object holding data fields), {@code <field>.currency} (a money field's currency) and any other name: a data field.
 */
public final class FieldMapping {

    /** The request member intake reads the delivery kind from ({@code channel} names the LINE channel). */
    static final String INTAKE_VIA_FIELD = "via";

    private static final Pattern TARGET = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.currency)?");
    private static final Pattern NEXT_PAIR = Pattern.compile("\\s*[A-Za-z_][A-Za-z0-9_]*(\\.currency)?\\s*=.*", Pattern.DOTALL);
    private static final Set<String> TO = Set.of("phone", "customerId", "userId");
    private static final Set<String> INTAKE_FIELDS = Set.of("type", "channel", "via", "language", "sendAt", "expiresAt", "Idempotency-Key", "data");
    private static final Set<String> TOP = Set.of("channel", "via", "sendAt", "expiresAt", "language");

    private final List<MappedField> fields;
    private final Map<String, MappedField> byTarget = new LinkedHashMap<>();

    private FieldMapping(List<MappedField> fields) {
        this.fields = List.copyOf(fields);
        fields.forEach(f -> byTarget.put(f.target(), f));
    }

    /**
     * Parses {@code text}. {@code zone} is the zone of date-times written without an offset (null: none given, and
     * such a pattern is refused). {@code typeColumn}, when not blank, adds {@code type=typeColumn}.
     */
    public static FieldMapping parse(String text, String typeColumn, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("mapping is empty: give field=COLUMN pairs, e.g. phone=TEL, orderNumber=ORDER_NO");
        }
        List<MappedField> fields = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        List<String> pairs = split(text);
        if (typeColumn != null && !typeColumn.isBlank()) {
            pairs = new ArrayList<>(pairs);
            pairs.add("type=" + typeColumn.trim());
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("mapping: '" + pair.trim() + "' is not field=COLUMN");
            }
            String target = pair.substring(0, eq).trim();
            if (!TARGET.matcher(target).matches()) {
                throw new IllegalArgumentException("mapping: '" + target + "' is not a field name");
            }
            if (!seen.add(target)) {
                throw new IllegalArgumentException("mapping: field " + target + " is mapped twice");
            }
            fields.add(MappedField.parse(target, pair.substring(eq + 1).trim(), zone));
        }
        FieldMapping m = new FieldMapping(fields);
        for (MappedField f : fields) {
            if (f.target().endsWith(".currency") && !m.byTarget.containsKey(f.target().substring(0, f.target().length() - 9))) {
                throw new IllegalArgumentException("mapping: " + f.target() + " is the currency of a money field the mapping does not name");
            }
        }
        return m;
    }

    /** The pairs: split at commas outside quotes that start another {@code field=} (so {@code #,##0} stays whole). */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ',' && !quoted && NEXT_PAIR.matcher(text.substring(i + 1)).matches()) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        out.removeIf(String::isBlank);
        return out;
    }

    public List<MappedField> fields() {
        return fields;
    }

    /** The field mapped to {@code target}, or null. */
    public MappedField field(String target) {
        return byTarget.get(target);
    }

    /** The columns (or paths) the mapping reads, constants left out, in mapping order. */
    public List<String> sources() {
        List<String> s = new ArrayList<>();
        for (MappedField f : fields) {
            if (!f.constant() && !s.contains(f.source())) {
                s.add(f.source());
            }
        }
        return Collections.unmodifiableList(s);
    }

    /** Where a row's values come from: the raw value of a field's source (null when empty or absent). */
    @FunctionalInterface
    public interface Values {
        Object get(MappedField field);
    }

    /** One mapped notification: the API's JSON and the row's own idempotency key (or null). */
    public record Mapped(ObjectNode request, String idempotencyKey) {
    }

    /**
     * The notification the values make: the API's JSON for {@code direct:intake}. {@code type}, when not null, is the
     * type of every notification (else the mapping's {@code type} field). A value that does not fit its pattern is a
     * {@link RequestRejectedException} naming the source column (never the value).
     */
    public Mapped map(String type, Values values) {
        ObjectNode req = Json.MAPPER.createObjectNode();
        ObjectNode to = Json.MAPPER.createObjectNode();
        ObjectNode data = Json.MAPPER.createObjectNode();
        String key = null;
        MappedField whole = byTarget.get("data");
        if (whole != null) {
            Object raw = value(values, whole);
            if (raw != null) {
                JsonNode d = raw instanceof JsonNode j ? j : readObject(whole, raw);
                if (!d.isObject()) {
                    throw new RequestRejectedException(whole.source(), "must be a JSON object of data fields (data)");
                }
                data.setAll((ObjectNode) d);
            }
        }
        if (type != null && !type.isBlank()) {
            req.put("type", type);
        }
        for (MappedField f : fields) {
            String t = f.target();
            if (t.equals("data") || t.endsWith(".currency")) {
                continue;
            }
            Object raw = value(values, f);
            if (raw == null) {
                continue;
            }
            if (t.equals("idempotencyKey")) {
                key = f.text(raw);
            } else if (t.equals("type")) {
                if (type == null || type.isBlank()) {
                    req.put("type", f.text(raw));
                }
            } else if (TO.contains(t)) {
                to.put(t, f.text(raw));
            } else if (t.equals("via")) {
                req.put(INTAKE_VIA_FIELD, f.text(raw));
            } else if (TOP.contains(t)) {
                req.put(t, f.text(raw));
            } else {
                MappedField currency = byTarget.get(t + ".currency");
                if (currency != null) {
                    ObjectNode money = data.putObject(t);
                    money.put("amount", f.text(raw));
                    Object c = value(values, currency);
                    if (c != null) {
                        money.put("currency", currency.text(c));
                    }
                } else if (raw instanceof JsonNode j && (j.isContainerNode() || j.isNumber() || j.isBoolean()) && !f.hasPattern()) {
                    data.set(t, j);
                } else {
                    data.put(t, f.text(raw));
                }
            }
        }
        if (!to.isEmpty()) {
            req.set("to", to);
        }
        req.set("data", data);
        return new Mapped(req, key);
    }

    /** The source a rejected request field ({@code to.phone}, {@code data.amount.currency}, …) came from, or null. */
    public String sourceOf(String requestField) {
        if (requestField == null || !(requestField.startsWith("to.") || requestField.startsWith("data.") || INTAKE_FIELDS.contains(requestField))) {
            return null; // not one of intake's fields: already a column (a value the mapping refused)
        }
        String target = requestField;
        if (target.startsWith("to.")) {
            target = target.substring(3);
        } else if (target.startsWith("data.")) {
            target = target.substring(5);
            if (target.endsWith(".amount")) {
                target = target.substring(0, target.length() - 7);
            }
        } else if (target.equals("Idempotency-Key")) {
            target = "idempotencyKey";
        }
        MappedField f = byTarget.get(target);
        if (f == null && requestField.startsWith("data.") && byTarget.containsKey("data")) {
            f = byTarget.get("data");
        }
        if (f == null) {
            return null;
        }
        return f.constant() ? f.target() : f.source();
    }

    private static Object value(Values values, MappedField f) {
        return f.constant() ? f.source() : values.get(f);
    }

    private static JsonNode readObject(MappedField f, Object raw) {
        try {
            return Json.readUntrusted(String.valueOf(raw).getBytes(StandardCharsets.UTF_8));
        } catch (Json.UntrustedJsonException e) {
            throw new RequestRejectedException(f.source(), "is not valid JSON (data): " + e.reason());
        }
    }

}
