package dev.loomevent.loadtest.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {
    private final MessageFormat format = new MessageFormat(64, 7);

    private byte[] stream(int messages) {
        byte[] out = new byte[messages * format.size()];
        byte[] msg = format.newBuffer();
        CRC32C crc = new CRC32C();
        for (int i = 0; i < messages; i++) {
            format.encode(msg, i, crc);
            System.arraycopy(msg, 0, out, i * format.size(), msg.length);
        }
        return out;
    }

    @RepeatedTest(5)
    void messagesSplitAnywhereAreReassembledInOrder() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] bytes = stream(50);
        MessageDecoder decoder = new MessageDecoder(format, "test");
        List<Long> seen = new ArrayList<>();
        int off = 0;
        List<Integer> cuts = new ArrayList<>();
        while (off < bytes.length) {
            int n = Math.min(bytes.length - off, 1 + random.nextInt(150));
            cuts.add(n);
            decoder.feed(ByteBuffer.wrap(bytes, off, n), seen::add);
            off += n;
        }
        assertThat(seen).as("seed %d, chunk sizes %s", seed, cuts).hasSize(50).isSortedAccordingTo(Long::compare);
        assertThat(seen.get(49)).isEqualTo(49);
        assertThat(decoder.partialBytes()).isZero();
    }

    @Test
    void aFlippedByteFailsNamingTheMessageAndOffset() {
        byte[] bytes = stream(3);
        bytes[64 + 20] ^= 0x01;
        MessageDecoder decoder = new MessageDecoder(format, "conn 9");
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(bytes), seq -> { }))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("conn 9").hasMessageContaining("message #1").hasMessageContaining("offset 20");
    }

    @Test
    void aLostByteFails() {
        byte[] bytes = stream(3);
        byte[] lost = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, lost, 0, 100);
        System.arraycopy(bytes, 101, lost, 100, bytes.length - 101);
        MessageDecoder decoder = new MessageDecoder(format, "c");
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(lost), seq -> { })).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aSkippedMessageFailsOnItsSequenceNumber() {
        byte[] bytes = stream(3);
        MessageDecoder decoder = new MessageDecoder(format, "c");
        decoder.feed(ByteBuffer.wrap(bytes, 0, 64), seq -> { });
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(bytes, 128, 64), seq -> { }))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("sequence number 2");
    }

    @Test
    void anotherConnectionsMessageFails() {
        MessageFormat other = new MessageFormat(64, 8);
        byte[] msg = other.newBuffer();
        other.encode(msg, 0, new CRC32C());
        MessageDecoder decoder = new MessageDecoder(format, "c");
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(msg), seq -> { })).isInstanceOf(IntegrityException.class);
    }

    @Test
    void tooSmallMessagesAreRefused() {
        assertThatThrownBy(() -> new MessageFormat(15, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15");
    }
}
