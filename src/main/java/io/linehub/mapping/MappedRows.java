package io.linehub.mapping;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.linehub.intake.RequestRejectedException;
import io.linehub.rows.NotificationRow;
import io.linehub.rows.NotificationRows;
import io.linehub.rows.UnreadableRowsException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A legacy export's rows as notifications ({@link MappedFileFormat}): decoded in the declared charset, delimited
 * (Jackson's CSV parser with the file's delimiter and quote) or cut at fixed widths, title lines skipped, columns
 * found by header name or position, each row mapped by the {@link FieldMapping}.
 * <p>
 * Bytes that are not valid in the charset are decoded as U+FFFD and refused where they matter: in the header the
 * file is refused, in a mapped cell the row is (naming the row and the column); unmapped columns are ignored.
 * Report row numbers are as the default inbox's: the data records after the header, blank ones not counted.
 */
abstract class MappedRows extends NotificationRows {

    private static final char BAD = '\uFFFD';

    protected final MappedFileFormat format;
    private final Map<String, Integer> index = new HashMap<>();
    private long row;

    MappedRows(Reader reader, MappedFileFormat format) {
        super(reader);
        this.format = format;
    }

    static NotificationRows delimited(InputStream in, MappedFileFormat format) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder(format)), 64 * 1024);
        return new Delimited(r, format);
    }

    static NotificationRows fixedWidth(InputStream in, MappedFileFormat format) {
        if (format.widthsInBytes()) {
            return new FixedBytes(new BufferedInputStream(in, 64 * 1024), format);
        }
        return new FixedChars(new BufferedReader(new InputStreamReader(in, decoder(format)), 64 * 1024), format);
    }

    private static CharsetDecoder decoder(MappedFileFormat format) {
        return format.charset().newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(BAD));
    }

    /** The next record's cells, or null at the end. */
    protected abstract String[] record() throws IOException;

    /** Reads the header (unless headerless) and checks that every mapped column is there; the first record is kept for read. */
    protected final void start() {
        String[] first;
        try {
            first = nextNonBlank();
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRowsException("the header row cannot be read: " + e.getClass().getSimpleName(), e);
        }
        if (first == null) {
            throw new UnreadableRowsException(format.skipRows() > 0
                    ? "the file has nothing after its " + format.skipRows() + " title line(s) (skipRows)" : "the file has no rows");
        }
        if (format.headerless()) {
            for (String s : format.fields().sources()) {
                int col = MappedFileFormat.position(s);
                if (col > first.length) {
                    throw new UnreadableRowsException("the mapping reads column " + col + " (" + targetOf(s) + ") but the first row has "
                            + first.length + " columns");
                }
                index.put(s, col - 1);
            }
            pending = first;
            return;
        }
        Map<String, Integer> header = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < first.length; i++) {
            String name = first[i].replace("\uFEFF", "").strip();
            if (name.indexOf(BAD) >= 0) {
                throw new UnreadableRowsException("the header row holds bytes that are not valid " + format.charset().name()
                        + " text (is the charset right?)");
            }
            names.add(name);
            if (header.putIfAbsent(name, i) != null) {
                header.put(name, -1); // named twice: an error only when mapped
            }
        }
        for (String s : format.fields().sources()) {
            Integer i = header.get(s.strip());
            if (i == null) {
                String list = String.join(", ", names);
                throw new UnreadableRowsException("the mapping names column '" + s + "' (" + targetOf(s) + "), which the file does not have;"
                        + " its columns are: " + (list.length() > 500 ? list.substring(0, 500) + "…" : list)
                        + (format.skipRows() > 0 ? " (after " + format.skipRows() + " title lines)" : ""));
            }
            if (i < 0) {
                throw new UnreadableRowsException("the header names column '" + s + "' twice; the mapping cannot tell which to read");
            }
            index.put(s, i);
        }
    }

    private String[] pending;

    private String[] nextNonBlank() throws IOException {
        String[] r;
        while ((r = record()) != null) {
            for (String v : r) {
                if (!v.isBlank()) {
                    return r;
                }
            }
        }
        return null;
    }

    @Override
    protected NotificationRow read(long lastRow) throws IOException {
        String[] values = pending != null ? pending : nextNonBlank();
        pending = null;
        if (values == null) {
            return null;
        }
        long n = ++row;
        try {
            FieldMapping.Mapped m = format.fields().map(format.type(), f -> cell(values, f));
            return new NotificationRow(n, m.request(), m.idempotencyKey(), null, null);
        } catch (RequestRejectedException e) {
            String field = format.headerless() && MappedFileFormat.position(e.field()) > 0 ? label(e.field()) : e.field();
            return new NotificationRow(n, null, null, field, e.reason());
        }
    }

    private Object cell(String[] values, MappedField f) {
        int i = index.get(f.source());
        if (i >= values.length) {
            return null;
        }
        String v = values[i].strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.indexOf(BAD) >= 0) {
            throw new RequestRejectedException(label(f.source()), "holds bytes that are not valid " + format.charset().name() + " text");
        }
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = v.replaceAll("\\s*[\\r\\n]+\\s*", " "); // a quoted multi-line cell: LINE templates show one line
        }
        return v;
    }

    private String label(String source) {
        return format.headerless() ? "column " + source.strip() : source;
    }

    private String targetOf(String source) {
        List<String> t = new ArrayList<>();
        for (MappedField f : format.fields().fields()) {
            if (!f.constant() && f.source().equals(source)) {
                t.add(f.target());
            }
        }
        return String.join(", ", t);
    }

    @Override
    public String sourceColumn(String requestField) {
        String s = format.fields().sourceOf(requestField);
        if (s == null) {
            return null;
        }
        MappedField f = format.fields().field(s);
        return f != null && f.constant() ? s : label(s);
    }

    /** Delimited text: the file's delimiter and quote (a quoted cell may hold delimiters and line breaks). */
    static final class Delimited extends MappedRows {
        private final MappingIterator<String[]> records;

        Delimited(BufferedReader reader, MappedFileFormat format) {
            super(reader, format);
            try {
                reader.mark(1);
                if (reader.read() != '\uFEFF') {
                    reader.reset();
                }
                for (int i = 0; i < format.skipRows(); i++) {
                    if (reader.readLine() == null) {
                        break;
                    }
                }
                CsvMapper mapper = new CsvMapper();
                mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
                mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
                CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(format.delimiter()).withoutHeader();
                schema = format.quote() == null ? schema.withoutQuoteChar() : schema.withQuoteChar(format.quote());
                records = mapper.readerFor(String[].class).with(schema).readValues(reader);
            } catch (IOException e) {
                throw new UnreadableRowsException("the file cannot be read: " + e.getClass().getSimpleName(), e);
            }
            start();
        }

        @Override
        protected String[] record() {
            return records.hasNext() ? records.next() : null;
        }

        @Override
        public void close() throws IOException {
            records.close();
            super.close();
        }
    }

    /** Fixed widths counted in bytes of the charset (as mainframe record layouts count them: a kanji is two). */
    static final class FixedBytes extends MappedRows {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private int skipped;

        FixedBytes(InputStream in, MappedFileFormat format) {
            super(Reader.nullReader(), format);
            this.in = in;
            start();
        }

        @Override
        protected String[] record() throws IOException {
            byte[] b;
            while ((b = line()) != null && skipped < format.skipRows()) {
                skipped++;
            }
            if (b == null) {
                return null;
            }
            int start = 0;
            if (skipped == format.skipRows() && b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
                start = 3; // a UTF-8 byte order mark on the first line
            }
            skipped = Integer.MAX_VALUE;
            int[] widths = format.widths();
            String[] cells = new String[widths.length];
            for (int i = 0, at = start; i < widths.length; i++) {
                int end = Math.min(b.length, at + widths[i]);
                cells[i] = at >= end ? "" : decoderOf().decode(ByteBuffer.wrap(b, at, end - at)).toString();
                at = end;
            }
            return cells;
        }

        private CharsetDecoder decoder;

        private CharsetDecoder decoderOf() {
            if (decoder == null) {
                decoder = decoder(format);
            }
            decoder.reset();
            return decoder;
        }

        /** The next line's bytes without CR LF, or null at the end. */
        private byte[] line() throws IOException {
            line.reset();
            int c;
            boolean any = false;
            while ((c = in.read()) >= 0) {
                any = true;
                if (c == '\n') {
                    break;
                }
                line.write(c);
            }
            if (!any) {
                return null;
            }
            byte[] b = line.toByteArray();
            return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
        }

        @Override
        public void close() throws IOException {
            in.close();
            super.close();
        }
    }

    /** Fixed widths counted in characters (UTF-16 files, or exports padded by character). */
    static final class FixedChars extends MappedRows {
        private final BufferedReader lines;
        private boolean first = true;

        FixedChars(BufferedReader reader, MappedFileFormat format) {
            super(reader, format);
            this.lines = reader;
            try {
                for (int i = 0; i < format.skipRows(); i++) {
                    if (lines.readLine() == null) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UnreadableRowsException("the file cannot be read: " + e.getClass().getSimpleName(), e);
            }
            start();
        }

        @Override
        protected String[] record() throws IOException {
            String l = lines.readLine();
            if (l == null) {
                return null;
            }
            if (first && !l.isEmpty() && l.charAt(0) == '\uFEFF') {
                l = l.substring(1);
            }
            first = false;
            int[] widths = format.widths();
            String[] cells = new String[widths.length];
            int at = 0;
            for (int i = 0; i < widths.length; i++) {
                int end = at;
                for (int k = 0; k < widths[i] && end < l.length(); k++) {
                    end = l.offsetByCodePoints(end, 1);
                }
                cells[i] = l.substring(at, end);
                at = end;
            }
            return cells;
        }
    }
}
