package io.linehub.inbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names the inbox gives archived files and reports, kept within what file systems allow whatever the dropped name. */
final class InboxFileNames {

    /** A file name's limit on common file systems (ext4, XFS, APFS, NTFS: 255 bytes or UTF-16 units). */
    static final int MAX_NAME_BYTES = 255;
    /** The room a report's base name has: {@code <base>.<yyyyMMddTHHmmss>.result.csv} must fit when an old report is kept. */
    static final int MAX_REPORT_BASE_BYTES = MAX_NAME_BYTES - 16 - ".result.csv".length();

    private InboxFileNames() {
    }

    /** A name that fits {@code maxBytes} of UTF-8: as it is, or its start, {@code ~}, 16 hex digits of its SHA-256 and its extension. */
    static String fit(String name, int maxBytes) {
        if (utf8Length(name) <= maxBytes) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
        String tag = "~" + HexFormat.of().formatHex(digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        int room = maxBytes - tag.length() - utf8Length(ext);
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length() - ext.length(); ) {
            int cp = name.codePointAt(i);
            int len = utf8Length(new String(Character.toChars(cp)));
            if (used + len > room) {
                break;
            }
            b.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return b + tag + ext;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
