package io.linehub.channels;

/**
 * A channels file ({@code HUB_CHANNELS_FILE}) the hub cannot start with. The message names the file, the entry (its
 * index from 1 and its name, when it has one), the field and the reason; it never quotes a value given for a field,
 * so a secret written into the wrong field never reaches a log.
 */
public class ChannelsFileException extends IllegalArgumentException {

    private final int entry;
    private final String channel;
    private final String field;
    private final String reason;

    public ChannelsFileException(String file, int entry, String channel, String field, String reason) {
        super("channels file " + file + ": " + (entry > 0 ? "entry " + entry + (channel != null ? " (" + channel + ")" : "") + ": " : "")
                + field + ": " + reason);
        this.entry = entry;
        this.channel = channel;
        this.field = field;
        this.reason = reason;
    }

    /** The entry's position in the {@code channels:} list, from 1; 0 for the file as a whole. */
    public int entry() {
        return entry;
    }

    /** The entry's name, or null when it has none (yet). */
    public String channel() {
        return channel;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
