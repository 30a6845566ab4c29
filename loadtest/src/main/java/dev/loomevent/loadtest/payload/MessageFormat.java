package dev.loomevent.loadtest.payload;

import java.util.zip.CRC32C;

/**
 * The layout of every message the harness sends, so that each echo can be checked:
 * <pre>
 * | sequence number (8 bytes, big-endian) | filler (size - 12 bytes) | CRC32C of the bytes before it, keyed (4) |
 * </pre>
 * The filler is a pattern fixed per connection and the checksum is XORed with a key of the
 * connection (both seeded by {@code salt}), so a message echoed to the wrong connection fails too.
 * A changed byte fails the checksum; a lost, extra or reordered byte shifts the message boundaries
 * and fails the checksum or the sequence number.
 * <p>Immutable.
 */
public final class MessageFormat {
    /** The smallest message: sequence number, checksum and 4 bytes of filler. */
    public static final int MIN_SIZE = 16;

    private final int size;
    private final byte[] template;
    /** Mixed into the checksum, so that a well-formed message of another connection fails it. */
    private final int key;

    /**
     * Creates the format of one connection.
     *
     * @param size message size in bytes, at least {@link #MIN_SIZE}
     * @param salt what makes this connection's filler differ from another's
     * @throws IllegalArgumentException if {@code size} is too small
     */
    public MessageFormat(int size, long salt) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("message size must be >= " + MIN_SIZE + " bytes, was " + size);
        }
        this.size = size;
        this.template = new byte[size];
        long x = salt * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        this.key = (int) (x ^ (x >>> 32));
        for (int i = 8; i < size - 4; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            template[i] = (byte) x;
        }
    }

    /** Returns the message size in bytes. */
    public int size() {
        return size;
    }

    /** Returns a new buffer holding the filler, ready for {@link #encode}. */
    public byte[] newBuffer() {
        return template.clone();
    }

    /**
     * Writes message {@code seq} into {@code buffer}, which must come from {@link #newBuffer()}
     * (only the sequence number and checksum change).
     */
    public void encode(byte[] buffer, long seq, CRC32C crc) {
        putLong(buffer, 0, seq);
        crc.reset();
        crc.update(buffer, 0, size - 4);
        putInt(buffer, size - 4, checksum(crc));
    }

    /** Returns the checksum field for the bytes {@code crc} has seen. */
    int checksum(CRC32C crc) {
        return (int) crc.getValue() ^ key;
    }

    /** Returns the exact bytes of message {@code seq}. */
    byte[] expected(long seq) {
        byte[] b = newBuffer();
        encode(b, seq, new CRC32C());
        return b;
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
