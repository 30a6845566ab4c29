package dev.loomevent.runtime.internal.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Byte searches over a region of a {@link ByteBuffer}, eight bytes at a time: a word is XORed
 * with the wanted byte repeated, and a byte of the result is zero exactly where the word held that
 * byte. The zero test used here is exact (no false positives from borrows), so the first hit is the
 * flagged byte at the lowest address: the most significant in big-endian order, the least in
 * little-endian.
 * <p>Stateless; any thread.
 */
final class Scan {
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long CR = '\r' * ONES;
    private static final long LF = '\n' * ONES;

    private Scan() {
    }

    /** Returns 0x80 in each byte of {@code w} that is zero, 0 elsewhere. */
    private static long zeroBytes(long w) {
        long t = (w & LOW7) + LOW7;
        return ~(t | w | LOW7);
    }

    /**
     * Index of the first {@code b} in {@code buf[from, to)}, or -1. Reads words in the buffer's own
     * order: in native (little-endian) order a load needs no byte swap, and the lowest address is
     * then the least significant byte.
     */
    static int indexOf(ByteBuffer buf, int from, int to, byte b) {
        long pattern = (b & 0xFFL) * ONES;
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        int i = from;
        // Two words a step: one branch per 16 bytes instead of one per 8.
        for (; i + 16 <= to; i += 16) {
            long z0 = zeroBytes(buf.getLong(i) ^ pattern);
            long z1 = zeroBytes(buf.getLong(i + 8) ^ pattern);
            if ((z0 | z1) != 0) {
                return z0 != 0 ? i + first(z0, little) : i + 8 + first(z1, little);
            }
        }
        for (; i + 8 <= to; i += 8) {
            long z = zeroBytes(buf.getLong(i) ^ pattern);
            if (z != 0) {
                return i + first(z, little);
            }
        }
        for (; i < to; i++) {
            if (buf.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Offset in its word of the lowest-addressed flagged byte of {@code z} (not 0). */
    private static int first(long z, boolean little) {
        return (little ? Long.numberOfTrailingZeros(z) : Long.numberOfLeadingZeros(z)) >>> 3;
    }

    /** Index of the first CR or LF in {@code buf[from, to)}, or -1. */
    static int indexOfCrOrLf(ByteBuffer buf, int from, int to) {
        int i = from;
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        for (; i + 8 <= to; i += 8) {
            long w = buf.getLong(i);
            long z = zeroBytes(w ^ CR) | zeroBytes(w ^ LF);
            if (z != 0) {
                return i + first(z, little);
            }
        }
        for (; i < to; i++) {
            byte c = buf.get(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return -1;
    }
}
