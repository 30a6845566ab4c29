package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bufferevent_set/get_max_single_read/write: libevent's rule for 0 and for sizes past the largest,
 * and the limits honoured by the reader and writer threads (seen through the buffers' change
 * callbacks, which report each append and each drain).
 */
@Timeout(60)
class MaxSingleReadWriteTest {
    private static final Set<BevOption> CLOSE = EnumSet.of(BevOption.CLOSE_ON_FREE);
    private Loopback lo;

    @BeforeEach
    void setUp() {
        lo = new Loopback("max-single");
    }

    @AfterEach
    void tearDown() {
        lo.close();
    }

    @Test
    void defaultsZeroAndOversizedRestoreTheDefaultNegativeIsRejected() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            assertThat(bev.getMaxSingleRead()).isEqualTo(SocketReader.MAX_READ).isEqualTo(65536);
            assertThat(bev.getMaxSingleWrite()).isEqualTo(SocketWriter.MAX_WRITE).isEqualTo(65536);
            assertThat(bev.setMaxSingleRead(1000)).isZero();
            assertThat(bev.setMaxSingleWrite(2000)).isZero();
            assertThat(bev.getMaxSingleRead()).isEqualTo(1000);
            assertThat(bev.getMaxSingleWrite()).isEqualTo(2000);
            bev.setMaxSingleRead(0);
            bev.setMaxSingleWrite(Long.MAX_VALUE);
            assertThat(bev.getMaxSingleRead()).isEqualTo(65536);
            assertThat(bev.getMaxSingleWrite()).isEqualTo(65536);
            assertThatThrownBy(() -> bev.setMaxSingleRead(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("size").hasMessageContaining("-1");
            assertThatThrownBy(() -> bev.setMaxSingleWrite(-5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-5");
            assertThat(bev.getMaxSingleRead()).isEqualTo(65536);
            bev.free();
            assertThatThrownBy(() -> bev.setMaxSingleRead(10)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** 100: below the reader's small blocking buffer; 1000: the bulk (scattering) reads. */
    @ParameterizedTest
    @ValueSource(ints = {100, 1000})
    void noReadAppendsMoreThanTheMaxSingleRead(int max) throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            bev.setMaxSingleRead(max);
            AtomicLong largest = new AtomicLong();
            AtomicLong total = new AtomicLong();
            // Each append as the reader makes it (user callbacks would see them summed, later).
            ((BuffereventCore) bev).inputProbe = (b, added, deleted) -> {
                largest.accumulateAndGet(added, Math::max);
                total.addAndGet(added);
            };
            bev.enable(Direction.READ);
            byte[] data = new byte[50_000];
            Arrays.fill(data, (byte) 'r');
            Loopback.writeFully(p.peer(), data);
            Loopback.await("all bytes read", () -> total.get() == data.length);
            assertThat(largest.get()).isPositive().isLessThanOrEqualTo(max);
            if (max > SocketReader.SMALL) {
                // 50,000 bytes sent at once: after the first small read the reader streams.
                assertThat(largest.get()).isGreaterThan(SocketReader.SMALL);
            }
            assertThat(bev.input().length()).isEqualTo(data.length);
            bev.free();
        }
    }

    @Test
    void noWriteSendsMoreThanTheMaxSingleWrite() throws Exception {
        try (Loopback.Pair p = lo.pair(CLOSE)) {
            Bufferevent bev = p.bev();
            bev.setMaxSingleWrite(300);
            AtomicLong largest = new AtomicLong();
            ((BuffereventCore) bev).outputProbe = (b, added, deleted) -> largest.accumulateAndGet(deleted, Math::max);
            byte[] data = new byte[40_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            bev.write(data);
            assertThat(Loopback.readFully(p.peer(), data.length)).isEqualTo(data);
            assertThat(largest.get()).isPositive().isLessThanOrEqualTo(300);
            bev.free();
        }
    }
}
