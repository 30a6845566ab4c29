package dev.loomevent.api;

import java.util.StringJoiner;

/**
 * The flags a bufferevent's event callback receives, with libevent's C bit values kept so that
 * masks compare as they do in C.
 * <p>libevent: {@code BEV_EVENT_*}. A read-side condition is reported as {@code EOF | READING},
 * a write-side one as {@code ERROR | WRITING}; a failed connect is {@code ERROR} alone.
 * <p>Immutable.
 */
public final class BevEvent {
    /** libevent: {@code BEV_EVENT_READING}: the condition arose while reading. */
    public static final int READING = 0x01;
    /** libevent: {@code BEV_EVENT_WRITING}: the condition arose while writing. */
    public static final int WRITING = 0x02;
    /** libevent: {@code BEV_EVENT_EOF}: the peer closed its side. */
    public static final int EOF = 0x10;
    /** libevent: {@code BEV_EVENT_ERROR}: an unrecoverable error; see {@link Bufferevent#lastError()}. */
    public static final int ERROR = 0x20;
    /** libevent: {@code BEV_EVENT_TIMEOUT}: a read or write timeout expired. */
    public static final int TIMEOUT = 0x40;
    /** libevent: {@code BEV_EVENT_CONNECTED}: an outgoing connect finished. */
    public static final int CONNECTED = 0x80;

    private BevEvent() {
    }

    /**
     * Renders a mask as {@code "EOF|READING"}, for logs and assertion messages. libevent has no
     * counterpart. Any thread.
     *
     * @param events a mask of {@code BevEvent} bits
     * @return the names of the set bits joined by {@code |}, or {@code "0"} when none is set
     */
    public static String toString(int events) {
        StringJoiner j = new StringJoiner("|");
        if ((events & CONNECTED) != 0) j.add("CONNECTED");
        if ((events & EOF) != 0) j.add("EOF");
        if ((events & ERROR) != 0) j.add("ERROR");
        if ((events & TIMEOUT) != 0) j.add("TIMEOUT");
        if ((events & READING) != 0) j.add("READING");
        if ((events & WRITING) != 0) j.add("WRITING");
        int unknown = events & ~(CONNECTED | EOF | ERROR | TIMEOUT | READING | WRITING);
        if (unknown != 0) j.add("0x" + Integer.toHexString(unknown));
        return j.length() == 0 ? "0" : j.toString();
    }
}
