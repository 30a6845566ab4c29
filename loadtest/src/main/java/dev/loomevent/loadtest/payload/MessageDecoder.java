package dev.loomevent.loadtest.payload;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reassembles echoed bytes into messages of one {@link MessageFormat} and checks each: its checksum
 * and that its sequence number is the next one expected (echoes come back in order on one
 * connection).
 * <p>One thread at a time: the thread that delivers the connection's data.
 */
public final class MessageDecoder {

    /** Receives each message that passed the checks. */
    @FunctionalInterface
    public interface Sink {
        /** Called with the sequence number of a complete, correct message. */
        void onMessage(long seq);
    }

    private final MessageFormat format;
    private final String connection;
    private final byte[] message;
    private final CRC32C crc = new CRC32C();
    private int filled;
    private long expectedSeq;

    /**
     * Creates a decoder for the connection named {@code connection} (used in failure messages),
     * expecting message 0 first.
     */
    public MessageDecoder(MessageFormat format, String connection) {
        this.format = format;
        this.connection = connection;
        this.message = new byte[format.size()];
    }

    /**
     * Consumes all of {@code data}, calling {@code sink} for each message it completes.
     *
     * @throws IntegrityException at the first message that is not what was sent
     */
    public void feed(ByteBuffer data, Sink sink) {
        int size = message.length;
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), size - filled);
            data.get(message, filled, n);
            filled += n;
            if (filled == size) {
                filled = 0;
                long seq = verify();
                sink.onMessage(seq);
            }
        }
    }

    /** Returns how many messages passed the checks. */
    public long verified() {
        return expectedSeq;
    }

    /** Returns how many bytes of an incomplete message are held. */
    public int partialBytes() {
        return filled;
    }

    private long verify() {
        int size = message.length;
        crc.reset();
        crc.update(message, 0, size - 4);
        int want = MessageFormat.getInt(message, size - 4);
        if (format.checksum(crc) != want) {
            throw new IntegrityException(describe("failed its CRC32C checksum"));
        }
        long seq = MessageFormat.getLong(message, 0);
        if (seq != expectedSeq) {
            throw new IntegrityException(describe("carries sequence number " + seq
                    + " (bytes were lost, duplicated or reordered)"));
        }
        return expectedSeq++;
    }

    private String describe(String what) {
        byte[] expected = format.expected(expectedSeq);
        StringBuilder sb = new StringBuilder("payload integrity failure on ").append(connection)
                .append(": echoed message #").append(expectedSeq).append(" (").append(message.length)
                .append(" bytes) ").append(what);
        for (int i = 0; i < message.length; i++) {
            if (message[i] != expected[i]) {
                sb.append("; first wrong byte at offset ").append(i).append(" of the message: got 0x")
                        .append(String.format("%02x", message[i] & 0xFF)).append(", sent 0x")
                        .append(String.format("%02x", expected[i] & 0xFF));
                break;
            }
        }
        return sb.toString();
    }
}
