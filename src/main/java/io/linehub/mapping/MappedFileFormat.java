package io.linehub.mapping;

import io.linehub.headers.HubHeaders;
import io.linehub.rows.NotificationRows;
import io.linehub.rows.RowReader;
import org.apache.camel.Exchange;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;

/**
 * How one legacy export is read (route template {@code mapped-file-inbox}, one local bean per instance): its
 * charset, its delimiter and quote or its fixed widths, the title lines above its header or no header at all, and
 * the field mapping. Built when the route is created ({@link #check}), so a wrong charset, width or pattern stops the
 * hub at start with the reason. The inbox's machinery (progress, checkpoints, report, .done/.failed) is the default
 * inbox's: this only turns bytes into rows ({@link RowReader}).
 */
public class MappedFileFormat implements RowReader {

    private String charset = "UTF-8";
    private String type = "";
    private String typeColumn = "";
    private String mapping = "";
    private String delimiter = ",";
    private String quote = "\"";
    private String skipRows = "0";
    private String headerless = "false";
    private String widths = "";
    private String widthUnit = "bytes";
    private String timeZone = "";

    private Charset cs;
    private FieldMapping fields;
    private char delimiterChar;
    private Character quoteChar;
    private int skip;
    private boolean noHeader;
    private int[] widthList;
    private boolean widthsInBytes;

    /** Checks every parameter and parses the mapping (the bean's init method: a mistake fails the route's creation). */
    public void check() {
        try {
            cs = Charset.forName(charset.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("charset '" + charset + "' is not known to this Java; use e.g. UTF-8, windows-31j, Shift_JIS,"
                    + " x-windows-874, TIS-620, Big5, UTF-16");
        }
        if (type.isBlank() == typeColumn.isBlank()) {
            throw new IllegalArgumentException("give type (one notification type for the whole file) or typeColumn, exactly one of them");
        }
        ZoneId zone = null;
        if (!timeZone.isBlank()) {
            try {
                zone = ZoneId.of(timeZone.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timeZone '" + timeZone + "' is not a time zone (e.g. Asia/Tokyo)");
            }
        }
        fields = FieldMapping.parse(mapping, typeColumn, zone);
        if (fields.field("phone") == null && fields.field("customerId") == null && fields.field("userId") == null) {
            throw new IllegalArgumentException("mapping names no recipient: map phone, customerId or userId");
        }
        delimiterChar = switch (delimiter) {
            case "\\t", "tab", "TAB", "\t" -> '\t';
            default -> {
                if (delimiter.length() != 1) {
                    throw new IllegalArgumentException("delimiter must be one character (or tab), was '" + delimiter + "'");
                }
                yield delimiter.charAt(0);
            }
        };
        if (quote.isEmpty() || quote.equalsIgnoreCase("none")) {
            quoteChar = null;
        } else if (quote.length() == 1) {
            quoteChar = quote.charAt(0);
        } else {
            throw new IllegalArgumentException("quote must be one character (or none), was '" + quote + "'");
        }
        skip = integer("skipRows", skipRows);
        noHeader = Boolean.parseBoolean(headerless.trim());
        widthsInBytes = switch (widthUnit.trim().toLowerCase(Locale.ROOT)) {
            case "bytes" -> true;
            case "characters" -> false;
            default -> throw new IllegalArgumentException("widthUnit must be bytes or characters, was '" + widthUnit + "'");
        };
        if (!widths.isBlank()) {
            widthList = Arrays.stream(widths.split(",")).mapToInt(w -> integer("widths", w)).toArray();
            if (Arrays.stream(widthList).anyMatch(w -> w <= 0)) {
                throw new IllegalArgumentException("widths must be positive numbers, e.g. 10,8,12");
            }
            if (widthsInBytes && !asciiCompatible(cs)) {
                throw new IllegalArgumentException("widths in bytes need a charset where a line break is one byte; for " + cs.name()
                        + " set widthUnit=characters");
            }
        }
        if (noHeader) {
            for (String s : fields.sources()) {
                int col = position(s);
                if (col < 1 || (widthList != null && col > widthList.length)) {
                    throw new IllegalArgumentException("headerless: the mapping names column '" + s + "'; columns are numbered 1 to "
                            + (widthList != null ? widthList.length : "n"));
                }
            }
        }
    }

    /** The route's step: this instance's reader goes with the file to the inbox's steps (direct:inbox-file). */
    public void use(Exchange exchange) {
        exchange.setProperty(HubHeaders.INBOX_ROW_READER, this);
    }

    @Override
    public NotificationRows open(InputStream in, String fileName, long afterRow) {
        NotificationRows rows = widthList != null ? MappedRows.fixedWidth(in, this) : MappedRows.delimited(in, this);
        for (long n = 0; n < afterRow && rows.hasNext(); n++) {
            rows.next();
        }
        return rows;
    }

    static int position(String source) {
        try {
            return Integer.parseInt(source.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int integer(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    /** Whether LF is the byte 0x0A and never part of another character (UTF-8, Shift_JIS, TIS-620, Big5, …; not UTF-16). */
    static boolean asciiCompatible(Charset cs) {
        byte[] lf = "\n".getBytes(cs);
        return lf.length == 1 && lf[0] == '\n' && !cs.name().toUpperCase(Locale.ROOT).startsWith("UTF-16")
                && !cs.name().toUpperCase(Locale.ROOT).startsWith("UTF-32");
    }

    Charset charset() {
        return cs;
    }

    FieldMapping fields() {
        return fields;
    }

    String type() {
        return type.isBlank() ? null : type.trim();
    }

    char delimiter() {
        return delimiterChar;
    }

    Character quote() {
        return quoteChar;
    }

    int skipRows() {
        return skip;
    }

    boolean headerless() {
        return noHeader;
    }

    int[] widths() {
        return widthList;
    }

    boolean widthsInBytes() {
        return widthsInBytes;
    }

    // ------------------------------------------------------------------ the template's parameters (bean properties)

    public void setCharset(String charset) {
        this.charset = charset.isBlank() ? "UTF-8" : charset;
    }

    public void setType(String type) {
        this.type = type;
    }

    public void setTypeColumn(String typeColumn) {
        this.typeColumn = typeColumn;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public void setQuote(String quote) {
        this.quote = quote;
    }

    public void setSkipRows(String skipRows) {
        this.skipRows = skipRows;
    }

    public void setHeaderless(String headerless) {
        this.headerless = headerless;
    }

    public void setWidths(String widths) {
        this.widths = widths;
    }

    public void setWidthUnit(String widthUnit) {
        this.widthUnit = widthUnit;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
