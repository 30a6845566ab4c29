package dev.loomevent.runtime.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time byte searches against a byte-by-byte answer, for every start, end and hit
 * position in a 48-byte region (so every split between the 16-byte, 8-byte and byte loops), in
 * direct and heap buffers of both byte orders, with look-alike bytes around the one searched for.
 */
class ScanTest {

    private static int naive(ByteBuffer b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b.get(i) == x) {
                return i;
            }
        }
        return -1;
    }

    private static int naiveCrOrLf(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b.get(i) == '\r' || b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyHitPositionStartAndEndAgreesWithAByteLoop() {
        int n = 48;
        for (ByteBuffer b : buffers(n)) {
            for (int hit = -1; hit < n; hit++) {
                for (int i = 0; i < n; i++) {
                    // Neighbours of '\n' (0x0A) and bytes with the high bit set, to catch borrow errors.
                    b.put(i, (byte) (i % 3 == 0 ? 0x0B : i % 3 == 1 ? 0x8A : 0x09));
                }
                if (hit >= 0) {
                    b.put(hit, (byte) '\n');
                }
                for (int from = 0; from <= n; from++) {
                    for (int to = from; to <= n; to++) {
                        assertThat(Scan.indexOf(b, from, to, (byte) '\n'))
                                .as("hit %d in [%d, %d) of %s", hit, from, to, b)
                                .isEqualTo(naive(b, from, to, (byte) '\n'));
                        assertThat(Scan.indexOfCrOrLf(b, from, to))
                                .as("CR/LF hit %d in [%d, %d)", hit, from, to)
                                .isEqualTo(naiveCrOrLf(b, from, to));
                    }
                }
            }
        }
    }

    /** Direct and heap, in both byte orders: segments are native-order, user references may be either. */
    private static ByteBuffer[] buffers(int n) {
        return new ByteBuffer[] {ByteBuffer.allocateDirect(n), ByteBuffer.allocate(n),
            ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN), ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN)};
    }

    @Test
    void theFirstOfSeveralHitsIsFoundInEitherWordOfAStep() {
        for (ByteBuffer b : buffers(64)) {
            for (int first = 0; first < 32; first++) {
                for (int i = 0; i < 64; i++) {
                    b.put(i, (byte) 'a');
                }
                b.put(first, (byte) 0);
                b.put(first + 1, (byte) 0);
                b.put(first + 9, (byte) 0);
                assertThat(Scan.indexOf(b, 0, 64, (byte) 0)).as("first %d in %s", first, b.order()).isEqualTo(first);
                b.put(first, (byte) '\r');
                b.put(first + 1, (byte) '\n');
                assertThat(Scan.indexOfCrOrLf(b, 0, 64)).as("CR first %d in %s", first, b.order()).isEqualTo(first);
            }
        }
    }
}
