package dev.loomevent.runtime.internal.buffer;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Storage a writer sends from outside the lock stays intact until the write ends, whoever releases
 * it meanwhile; and gathering adds store what they count.
 */
@Timeout(20)
class ChainEvbufferInFlightTest {
    private static ChainEvbuffer buffer(SegmentPool pool) {
        return new ChainEvbuffer(new ReentrantLock(), pool);
    }

    private static byte[] fill(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** A channel whose write first runs {@code during} (as another thread could, the writer being outside the lock), then takes the bytes. */
    private static final class Interleaving implements GatheringByteChannel {
        private final Runnable during;
        byte[] sent;

        Interleaving(Runnable during) {
            this.during = during;
        }

        @Override
        public int write(ByteBuffer src) {
            during.run();
            sent = new byte[src.remaining()];
            src.get(sent);
            return sent.length;
        }

        @Override
        public long write(ByteBuffer[] srcs, int off, int len) {
            return write(srcs[off]);
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /**
     * The output holds only a view of another buffer's pooled segment (addBufferReference, then the
     * other buffer drained). Releasing the view during the write must not recycle its storage to
     * the next taker.
     */
    private static void viewStaysIntactDuringTheWrite(boolean free) throws IOException {
        SegmentPool pool = new SegmentPool(true, 64, 64);
        ChainEvbuffer in = buffer(pool);
        ChainEvbuffer out = buffer(pool);
        in.add(fill(40, 'a'));
        out.addBufferReference(in);
        in.drain(40);
        if (!free) {
            out.add(fill(10, 'b')); // a second segment, so that pullup copies and releases the view
        }
        Interleaving ch = new Interleaving(() -> {
            if (free) {
                out.free();
            } else {
                out.pullup(-1);
            }
            buffer(pool).add(fill(64, 'X')); // another buffer takes a pooled segment
        });
        out.writeTo(ch, 40);
        assertThat(new String(ch.sent, US_ASCII)).isEqualTo("a".repeat(40));
    }

    @Test
    void aViewFreedDuringTheWriteIsNotRecycledUnderIt() throws IOException {
        viewStaysIntactDuringTheWrite(true);
    }

    @Test
    void aViewPulledUpDuringTheWriteIsNotRecycledUnderIt() throws IOException {
        viewStaysIntactDuringTheWrite(false);
    }

    @Test
    void aReferenceReleasedDuringTheWriteIsCleanedUpOnceTheWriteEnds() throws IOException {
        AtomicInteger cleanups = new AtomicInteger();
        ChainEvbuffer out = buffer(new SegmentPool(true, 64, 64));
        out.addReference(ByteBuffer.wrap(fill(30, 'r')), b -> cleanups.incrementAndGet());
        AtomicInteger duringWrite = new AtomicInteger(-1);
        Interleaving ch = new Interleaving(() -> {
            out.free();
            duringWrite.set(cleanups.get());
        });
        out.writeTo(ch, 30);
        assertThat(new String(ch.sent, US_ASCII)).isEqualTo("r".repeat(30));
        assertThat(duringWrite).as("cleanups run while the writer still sent the bytes").hasValue(0);
        assertThat(cleanups).as("cleanups after the write").hasValue(1);
    }

    @Test
    void addAllOfTheSameBufferTwiceAddsItTwice() {
        ChainEvbuffer b = buffer(new SegmentPool(false, 64, 64));
        ByteBuffer x = ByteBuffer.wrap("hello".getBytes(US_ASCII));
        assertThat(b.addAll(x, x)).isEqualTo(10);
        assertThat(x.hasRemaining()).isFalse();
        byte[] all = new byte[32];
        int n = b.copyOut(all, 0, all.length);
        assertThat(new String(all, 0, n, US_ASCII)).isEqualTo("hellohello");
        assertThat(b.length()).isEqualTo(10);
    }
}
