package io.linehub.rows;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.linehub.json.Json;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams notification rows, one at a time (a file of any size is read in bounded memory): the inbox's files and
 * the batch API's NDJSON body, each row turned into the API's JSON form for {@code direct:intake}.
 * CSV: UTF-8 with or without BOM, a header row, comma, semicolon or tab (taken from the header), quoted fields
 * with separators and newlines, CRLF or LF; blank records are skipped. NDJSON: one notification per line.
 */
public abstract class NotificationRows implements Iterator<NotificationRow>, Closeable {

    /** The CSV columns that are not business data fields. */
    static final Set<String> RESERVED = Set.of("customer_id", "phone", "type", "channel", "via", "language", "idempotency_key",
            "send_at", "expires_at", "sendAt", "expiresAt");
    public static final String CURRENCY_SUFFIX = "_currency";
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("\\s*[\\r\\n]+\\s*");

    private NotificationRow next;
    private boolean broken;
    private boolean ended;
    protected final Reader reader;

    protected NotificationRows(Reader reader) {
        this.reader = reader;
    }

    /** Opens {@code in} as CSV or NDJSON by the file name's extension, skipping the rows up to {@code afterRow}. */
    public static NotificationRows open(InputStream in, String fileName, long afterRow) {
        BufferedReader reader = utf8(in);
        String lower = fileName.toLowerCase(Locale.ROOT);
        NotificationRows rows;
        if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
            rows = new Csv(reader);
        } else if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
            rows = new Ndjson(reader);
        } else {
            throw new UnreadableRowsException("unknown file type; use .csv, .ndjson or .jsonl");
        }
        while (afterRow > 0 && rows.hasNext() && rows.peekRow() <= afterRow) {
            rows.next();
        }
        return rows;
    }

    /** Reads NDJSON from a request body (the batch API). */
    public static NotificationRows ndjson(Reader reader) {
        return new Ndjson(new BufferedReader(reader));
    }

    /** UTF-8, strict (malformed bytes are an error, not silently replaced), leading BOM dropped. */
    static BufferedReader utf8(InputStream in) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
        try {
            r.mark(1);
            if (r.read() != '\uFEFF') {
                r.reset();
            }
        } catch (CharacterCodingException e) {
            throw new UnreadableRowsException("the file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UnreadableRowsException("the file cannot be read: " + e.getMessage(), e);
        }
        return r;
    }

    /** The next row, or null at the end. A read error ends the file with one row that says where it broke. */
    protected abstract NotificationRow read(long lastRow) throws IOException;

    private long lastRow;

    private long peekRow() {
        return next.row();
    }

    @Override
    public boolean hasNext() {
        if (next == null && !broken && !ended) {
            try {
                next = read(lastRow);
                ended = next == null;
            } catch (IOException | RuntimeException e) {
                broken = true;
                next = NotificationRow.bad(lastRow + 1, "file", "the rest of the file cannot be read from here: " + describe(e));
            }
        }
        return next != null;
    }

    @Override
    public NotificationRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        NotificationRow r = next;
        next = null;
        lastRow = r.row();
        return r;
    }

    /** These rows {@code size} at a time (the inbox's chunks: one checkpoint each; the last may be shorter). */
    public Iterator<java.util.List<NotificationRow>> chunks(int size) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return NotificationRows.this.hasNext();
            }

            @Override
            public java.util.List<NotificationRow> next() {
                java.util.List<NotificationRow> chunk = new java.util.ArrayList<>(Math.min(size, 4096));
                while (chunk.size() < size && NotificationRows.this.hasNext()) {
                    chunk.add(NotificationRows.this.next());
                }
                if (chunk.isEmpty()) {
                    throw new NoSuchElementException();
                }
                return chunk;
            }
        };
    }

    /**
     * The file's own column a rejected request field ({@code data.shippedDate}, {@code to.phone}) came from, for the
     * report; null: the inbox's default naming. A mapped reader knows its mapping.
     */
    public String sourceColumn(String requestField) {
        return null;
    }

    /** Whether reading stopped at an error before the end of the file. */
    public boolean broken() {
        return broken;
    }

    @Override
    public void close() throws IOException {
        ended = true; // the splitter closes the iterator when it is done; nothing is read after that
        reader.close();
    }

    /** What went wrong, with where when known, never the parser's message (it can quote the file's values). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return "the text is not UTF-8";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return "it is nested too deeply or holds a number, name or text too long" + where(((JsonProcessingException) t).getLocation());
            }
            if (t instanceof JsonProcessingException j) {
                return "it is malformed" + where(j.getLocation());
            }
        }
        return "it cannot be read (" + e.getClass().getSimpleName() + ")";
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** CSV with a header row. */
    static final class Csv extends NotificationRows {
        private final MappingIterator<String[]> records;
        private final String[] header;
        private final Map<String, Integer> index = new HashMap<>();
        private long row;

        Csv(BufferedReader reader) {
            super(reader);
            char separator;
            try {
                reader.mark(64 * 1024);
                String first = reader.readLine();
                if (first == null || first.isBlank()) {
                    throw new UnreadableRowsException("the file is empty; a CSV file starts with a header row");
                }
                separator = separatorOf(first);
                reader.reset();
                CsvMapper mapper = new CsvMapper();
                mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
                mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
                mapper.enable(CsvParser.Feature.TRIM_SPACES);
                CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator).withoutHeader();
                records = mapper.readerFor(String[].class).with(schema).readValues(reader);
                if (!records.hasNext()) {
                    throw new UnreadableRowsException("the file is empty; a CSV file starts with a header row");
                }
                header = records.next();
            } catch (CharacterCodingException e) {
                throw new UnreadableRowsException("the file is not UTF-8 text", e);
            } catch (IOException | RuntimeException e) {
                if (e instanceof UnreadableRowsException ife) {
                    throw ife;
                }
                throw new UnreadableRowsException("the header row cannot be read: " + describe(e), e);
            }
            for (int i = 0; i < header.length; i++) {
                String name = header[i].replace("\uFEFF", "").trim();
                if (name.isEmpty()) {
                    continue;
                }
                String key = RESERVED.contains(name.toLowerCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
                header[i] = key;
                if (index.put(key, i) != null) {
                    throw new UnreadableRowsException("the header names column '" + key + "' twice");
                }
            }
            if (!index.containsKey("type")) {
                throw new UnreadableRowsException("the header has no 'type' column (columns: type, customer_id or phone, data fields; see docs/api.md)");
            }
            if (!index.containsKey("customer_id") && !index.containsKey("phone")) {
                throw new UnreadableRowsException("the header has neither a 'customer_id' nor a 'phone' column");
            }
        }

        private static char separatorOf(String headerLine) {
            int commas = 0, semicolons = 0, tabs = 0;
            boolean quoted = false;
            for (char c : headerLine.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted) {
                    if (c == ',') commas++;
                    else if (c == ';') semicolons++;
                    else if (c == '\t') tabs++;
                }
            }
            if (semicolons > commas && semicolons >= tabs) {
                return ';';
            }
            return tabs > commas ? '\t' : ',';
        }

        @Override
        protected NotificationRow read(long lastRow) {
            while (records.hasNext()) {
                String[] values = records.next();
                if (allBlank(values)) {
                    continue;
                }
                return toRow(++row, values);
            }
            return null;
        }

        private NotificationRow toRow(long n, String[] values) {
            for (int i = header.length; i < values.length; i++) {
                if (!values[i].isBlank()) {
                    return NotificationRow.bad(n, "row", "has " + values.length + " values but the header has " + header.length + " columns");
                }
            }
            ObjectNode req = Json.MAPPER.createObjectNode();
            put(req, "type", value(values, "type"));
            ObjectNode to = req.putObject("to");
            put(to, "customerId", value(values, "customer_id"));
            put(to, "phone", value(values, "phone"));
            put(req, "channel", value(values, "channel"));
            put(req, "via", value(values, "via"));
            put(req, "language", value(values, "language"));
            // when to send and until when (ISO-8601 with an offset), checked by intake as the API's sendAt / expiresAt
            put(req, "sendAt", value(values, "send_at") != null ? value(values, "send_at") : value(values, "sendAt"));
            put(req, "expiresAt", value(values, "expires_at") != null ? value(values, "expires_at") : value(values, "expiresAt"));
            ObjectNode data = req.putObject("data");
            for (int i = 0; i < header.length && i < values.length; i++) {
                String name = header[i];
                String v = values[i];
                if (name.isEmpty() || RESERVED.contains(name) || v.isBlank()) {
                    continue;
                }
                if (name.endsWith(CURRENCY_SUFFIX) && index.containsKey(name.substring(0, name.length() - CURRENCY_SUFFIX.length()))) {
                    continue; // part of the money value of its base column
                }
                if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                    v = LINE_BREAKS.matcher(v).replaceAll(" "); // a quoted multi-line cell: LINE templates show one line
                }
                String currency = value(values, name + CURRENCY_SUFFIX);
                if (currency != null) {
                    ObjectNode money = data.putObject(name);
                    money.put("amount", v);
                    money.put("currency", currency);
                } else {
                    data.put(name, v);
                }
            }
            return new NotificationRow(n, req, value(values, "idempotency_key"), null, null);
        }

        private String value(String[] values, String column) {
            Integer i = index.get(column);
            if (i == null || i >= values.length) {
                return null;
            }
            String v = values[i].trim();
            return v.isEmpty() ? null : v;
        }

        private static void put(ObjectNode node, String name, String value) {
            if (value != null) {
                node.put(name, value);
            }
        }

        private static boolean allBlank(String[] values) {
            for (String v : values) {
                if (!v.isBlank()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            records.close();
            super.close();
        }
    }

    /** One notification (the API's JSON, plus an optional idempotencyKey member) per line. */
    static final class Ndjson extends NotificationRows {
        private final BufferedReader lines;
        private long line;

        Ndjson(BufferedReader reader) {
            super(reader);
            this.lines = reader;
        }

        @Override
        protected NotificationRow read(long lastRow) throws IOException {
            String text;
            while ((text = lines.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                return parse(line, text);
            }
            return null;
        }

        static NotificationRow parse(long n, String text) {
            JsonNode node;
            try {
                node = Json.readUntrusted(text.getBytes(StandardCharsets.UTF_8));
            } catch (Json.UntrustedJsonException e) {
                return NotificationRow.bad(n, e.field(), e.reason());
            }
            if (!(node instanceof ObjectNode obj)) {
                return NotificationRow.bad(n, "body", "must be a JSON object");
            }
            String key = null;
            JsonNode k = obj.remove("idempotencyKey");
            if (k != null && !k.isNull()) {
                if (!k.isTextual()) {
                    return NotificationRow.bad(n, "idempotencyKey", "must be a string");
                }
                key = k.asText();
            }
            return new NotificationRow(n, obj, key, null, null);
        }
    }
}
