package io.linehub.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The hub's one JSON mapper: lenient when reading (LINE adds fields without notice), ISO dates when writing.
 * Input from outside (API requests, files) is read with {@link #readUntrusted}: strict and bounded.
 */
public final class Json {

    /** Untrusted input: at most this deep (a notification needs 4 or 5 levels). */
    public static final int MAX_NESTING = 32;
    /** Untrusted input: at most this many characters in one number. */
    public static final int MAX_NUMBER_LENGTH = 40;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** One JSON document and nothing after it, bounded nesting and numbers, no member twice. */
    private static final ObjectReader UNTRUSTED = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private Json() {
    }

    /** Why untrusted JSON was refused: the field ({@code body} or a JSON path) and a reason that never quotes the input. */
    public static final class UntrustedJsonException extends Exception {
        private final String field;
        private final String reason;

        UntrustedJsonException(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same text as {@link #write}, encoded as UTF-8 as it is written (no String in between). */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Input from outside: exactly one JSON document (nothing after it), at most {@link #MAX_NESTING} deep, numbers of
     * at most {@link #MAX_NUMBER_LENGTH} characters, no member twice, every text valid UTF-16 (no unpaired surrogate,
     * which LINE would show as "?"). The reason names where, never what was sent.
     */
    public static JsonNode readUntrusted(byte[] raw) throws UntrustedJsonException {
        JsonNode root = parseUntrusted(raw);
        checkText(root, "");
        return root;
    }

    /** {@link #readUntrusted} without the checks of the values ({@link #checkText}), for a list whose items are judged one by one. */
    public static JsonNode parseUntrusted(byte[] raw) throws UntrustedJsonException {
        try {
            // strictly UTF-8 first: Jackson passes some malformed bytes inside strings through
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            throw new UntrustedJsonException("body", "is not UTF-8 text");
        }
        JsonNode root;
        try {
            root = UNTRUSTED.readTree(raw);
        } catch (StreamConstraintsException e) {
            throw new UntrustedJsonException("body", e.getMessage() != null && e.getMessage().contains("nesting")
                    ? "is nested deeper than " + MAX_NESTING + " levels"
                    : "has a number longer than " + MAX_NUMBER_LENGTH + " characters" + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            String what = m.contains("Trailing token") ? "has text after the JSON document"
                    : m.contains("Duplicate field") ? "has a member twice in one object"
                    : m.contains("UTF-8") || m.contains("UTF8") ? "is not UTF-8 text"
                    : "is not valid JSON";
            throw new UntrustedJsonException("body", what + at(e.getLocation()));
        } catch (IOException e) {
            throw new UntrustedJsonException("body", "could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new UntrustedJsonException("body", "is empty; send a JSON document");
        }
        return root;
    }

    /** Every text under {@code node} valid UTF-16 and every number finite; otherwise the path (below {@code path}) and why. */
    public static void checkText(JsonNode node, String path) throws UntrustedJsonException {
        String bad = unpairedSurrogate(node, path);
        if (bad != null) {
            throw new UntrustedJsonException(bad.isEmpty() ? "body" : bad, "contains an unpaired UTF-16 surrogate (not valid Unicode text)");
        }
        bad = nonFinite(node, path);
        if (bad != null) {
            throw new UntrustedJsonException(bad.isEmpty() ? "body" : bad, "is a number too large to use");
        }
    }

    /** The path of the first number under {@code node} that is too large for a double (1e400), or null. */
    private static String nonFinite(JsonNode node, String path) {
        // the path is made only for the one that fails, not for every member of every valid document
        Deque<Object> at = firstAt(node, n -> n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue()), name -> true);
        return at == null ? null : join(path, at);
    }

    /**
     * The steps (member names, array indexes) from {@code node} down to the first node that is {@code bad}, or to the
     * object with the first member name that is not {@code goodName}; null when there is none.
     */
    private static Deque<Object> firstAt(JsonNode node, Predicate<JsonNode> bad, Predicate<String> goodName) {
        if (bad.test(node)) {
            return new ArrayDeque<>();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Deque<Object> at = firstAt(node.get(i), bad, goodName);
                if (at != null) {
                    at.addFirst(i);
                    return at;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!goodName.test(e.getKey())) {
                    return new ArrayDeque<>();
                }
                Deque<Object> at = firstAt(e.getValue(), bad, goodName);
                if (at != null) {
                    at.addFirst(e.getKey());
                    return at;
                }
            }
        }
        return null;
    }

    /** {@code path} followed by the steps: {@code data.amount}, {@code to.userIds[2]}. */
    private static String join(String path, Deque<Object> steps) {
        StringBuilder b = new StringBuilder(path);
        for (Object step : steps) {
            if (step instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(step);
            }
        }
        return b.toString();
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 0 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    /**
     * The JSON path ({@code data.orderNumber}, {@code to.userIds[2]}) of the first text or member name under
     * {@code node} with an unpaired UTF-16 surrogate, or null when all text is valid.
     */
    public static String unpairedSurrogate(JsonNode node, String path) {
        Deque<Object> at = firstAt(node, n -> n.isTextual() && !validUtf16(n.textValue()), Json::validUtf16);
        return at == null ? null : join(path, at);
    }

    static boolean validUtf16(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= '\uD800' && c <= '\uDFFF') { // a surrogate: valid only as a high one followed by a low one
                if (c <= '\uDBFF' && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
