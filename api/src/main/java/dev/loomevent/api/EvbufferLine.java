package dev.loomevent.api;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A line read by {@link Evbuffer#readln}: its bytes without the terminator, and the terminator's
 * length.
 * <p>libevent: the result and {@code n_read_out} of {@code evbuffer_readln}.
 * <p>Immutable once returned; the array is the caller's. Any thread, for every method. Its methods
 * have no libevent counterpart: a C caller converts the returned {@code char *} itself.
 *
 * @param bytes            the line, without its end-of-line bytes
 * @param terminatorLength how many end-of-line bytes were removed after it
 */
public record EvbufferLine(byte[] bytes, int terminatorLength) {
    /** Returns the line decoded as UTF-8. Any thread. */
    public String asString() {
        return asString(StandardCharsets.UTF_8);
    }

    /** Returns the line decoded with {@code charset}. Any thread. */
    public String asString(Charset charset) {
        return new String(bytes, charset);
    }

    /** Returns the line's length in bytes, without the terminator. Any thread. */
    public int length() {
        return bytes.length;
    }
}
