package dev.loomevent.runtime.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time byte searches against a byte-by-byte answer, for every start, end and hit
 * position in a 48-byte region (so every split between the 16-byte, 8-byte and byte loops), in
 * direct and heap buffers, with look-alike bytes around the one searched for.
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
        for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocateDirect(n), ByteBuffer.allocate(n)}) {
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

    @Test
    void theFirstOfSeveralHitsIsFoundInEitherWordOfAStep() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        for (int first = 0; first < 32; first++) {
            for (int i = 0; i < 64; i++) {
                b.put(i, (byte) 'a');
            }
            b.put(first, (byte) 0);
            b.put(first + 1, (byte) 0);
            b.put(first + 9, (byte) 0);
            assertThat(Scan.indexOf(b, 0, 64, (byte) 0)).isEqualTo(first);
        }
    }
}
