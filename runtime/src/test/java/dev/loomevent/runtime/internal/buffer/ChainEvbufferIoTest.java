package dev.loomevent.runtime.internal.buffer;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The internal channel I/O the socket bufferevent's threads use. */
@Timeout(20)
class ChainEvbufferIoTest {
    private static final SegmentPool SMALL = new SegmentPool(true, 64, 64);

    @Test
    void writeToSendsAndDrainsAndReadFromAppends() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            ChainEvbuffer out = new ChainEvbuffer(new ReentrantLock(), SMALL);
            ChainEvbuffer in = new ChainEvbuffer(new ReentrantLock(), SMALL);
            String s = ChainEvbufferTest.pattern(500);
            out.add(s.getBytes(US_ASCII));
            long sent = 0;
            while (out.length() > 0) {
                sent += out.writeTo(sink, Long.MAX_VALUE);
            }
            assertThat(sent).isEqualTo(500);
            assertThat(out.segmentCount()).isZero();
            while (in.length() < 500) {
                assertThat(in.readFrom(source, 100)).isPositive().isLessThanOrEqualTo(100);
            }
            assertThat(ChainEvbufferTest.content(in)).isEqualTo(s);
        }
    }

    /** A read bigger than a segment scatters into several segments with one call of the channel. */
    @Test
    void readFromScattersOneCallAcrossSeveralSegments(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data");
        String s = ChainEvbufferTest.pattern(300);
        Files.writeString(f, s, US_ASCII);
        try (FileChannel file = FileChannel.open(f, StandardOpenOption.READ)) {
            int[] calls = new int[2];
            java.nio.channels.ScatteringByteChannel counting = new java.nio.channels.ScatteringByteChannel() {
                @Override
                public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
                    calls[0]++;
                    calls[1] = length;
                    return file.read(dsts, offset, length);
                }

                @Override
                public long read(ByteBuffer[] dsts) throws IOException {
                    return read(dsts, 0, dsts.length);
                }

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    calls[0]++;
                    calls[1] = 1;
                    return file.read(dst);
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            ChainEvbuffer in = new ChainEvbuffer(new ReentrantLock(), SMALL);
            in.add("<".getBytes(US_ASCII));
            assertThat(in.readFrom(counting, 200)).isEqualTo(200);
            assertThat(calls[0]).isEqualTo(1);
            assertThat(calls[1]).isGreaterThan(1);
            assertThat(in.length()).isEqualTo(201);
            assertThat(ChainEvbufferTest.content(in)).isEqualTo("<" + s.substring(0, 200));
            // What is left of the file, and then its end: -1 and nothing appended.
            assertThat(in.readFrom(counting, 1000)).isEqualTo(100);
            assertThat(in.readFrom(counting, 1000)).isEqualTo(-1);
            assertThat(ChainEvbufferTest.content(in)).isEqualTo("<" + s);
        }
    }

    /** Segments reserved for a read that returned less than asked go back; only filled ones join the chain. */
    @Test
    void aShortScatteringReadKeepsOnlyTheSegmentsItFilled() throws IOException {
        SegmentPool pool = new SegmentPool(true, 64, 64);
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            ChainEvbuffer in = new ChainEvbuffer(new ReentrantLock(), pool);
            sink.write(ByteBuffer.wrap("0123456789".getBytes(US_ASCII)));
            int idle = pool.idle();
            assertThat(in.readFrom(source, 500)).isEqualTo(10);
            assertThat(in.segmentCount()).isEqualTo(1);
            // 500 bytes asked: 8 segments of 64 reserved, 7 of them unfilled and given back.
            assertThat(pool.idle()).isEqualTo(idle + 7);
            assertThat(ChainEvbufferTest.content(in)).isEqualTo("0123456789");
            in.drain(10);
            assertThat(pool.idle()).isGreaterThanOrEqualTo(idle);
        }
    }

    /**
     * While the reader's read is outside the lock, another thread moves part of the input with
     * {@code removeBuffer}: the read's bytes still land after what is left, counted from the
     * read's result, and the existing bytes are neither lost nor reordered.
     */
    @Test
    void aPartialRemoveBufferDuringTheReadKeepsEveryByteInOrder() throws Exception {
        SegmentPool pool = new SegmentPool(true, 8192, 64);
        ChainEvbuffer in = new ChainEvbuffer(new ReentrantLock(), pool);
        ChainEvbuffer out = new ChainEvbuffer(new ReentrantLock(), pool);
        in.add("0123456789".getBytes(US_ASCII));
        java.nio.channels.ReadableByteChannel meddling = new java.nio.channels.ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                dst.put("ABCDE".getBytes(US_ASCII));
                // Another thread (the callback thread, say) moves 4 bytes before the commit.
                Thread t = Thread.ofPlatform().start(() -> in.removeBuffer(out, 4));
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return 5;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        assertThat(in.readFrom(meddling, 100)).isEqualTo(5);
        assertThat(ChainEvbufferTest.content(in)).isEqualTo("456789ABCDE");
        assertThat(ChainEvbufferTest.content(out)).isEqualTo("0123");
    }

    @Test
    void readFromCommitsIntoDetachedSegmentAfterConcurrentDrain() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            ChainEvbuffer in = new ChainEvbuffer(new ReentrantLock(), SMALL);
            in.add("ab".getBytes(US_ASCII));
            // A channel that drains the buffer while "blocked" in read, as the callback thread may.
            java.nio.channels.ReadableByteChannel draining = new java.nio.channels.ReadableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    in.drain(2);
                    return source.read(dst);
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            sink.write(ByteBuffer.wrap("cd".getBytes(US_ASCII)));
            assertThat(in.readFrom(draining, 10)).isEqualTo(2);
            assertThat(ChainEvbufferTest.content(in)).isEqualTo("cd");
            assertThat(in.segmentCount()).isEqualTo(1);
        }
    }

    @Test
    void writeToUsesTransferToForFileSegments(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data");
        Files.writeString(f, "0123456789", US_ASCII);
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            ChainEvbuffer out = new ChainEvbuffer(new ReentrantLock(), SMALL);
            out.add("<".getBytes(US_ASCII));
            FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
            out.addFile(ch, 2, 5);
            out.add(">".getBytes(US_ASCII));
            assertThat(out.length()).isEqualTo(7);
            while (out.length() > 0) {
                out.writeTo(sink, Long.MAX_VALUE);
            }
            assertThat(ch.isOpen()).isFalse();
            ByteBuffer got = ByteBuffer.allocate(7);
            while (got.hasRemaining()) {
                source.read(got);
            }
            assertThat(new String(got.array(), US_ASCII)).isEqualTo("<23456>");
        }
    }

    /**
     * While the writer sends outside the lock, another thread rearranges the front (pullup) and a
     * third buffer takes segments from the same pool: the segments being sent must not be handed
     * out again, so the bytes sent are still the original ones.
     */
    @Test
    void segmentsInFlightAreNotRecycledWhilePullupReplacesThem() throws IOException {
        SegmentPool pool = new SegmentPool(true, 64, 64);
        ChainEvbuffer out = new ChainEvbuffer(new ReentrantLock(), pool);
        String s = ChainEvbufferTest.pattern(300);
        out.add(s.getBytes(US_ASCII));
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        java.nio.channels.GatheringByteChannel meddling = new java.nio.channels.GatheringByteChannel() {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                out.pullup(-1); // copies the front into one new segment, releasing the old ones
                ChainEvbuffer other = new ChainEvbuffer(new ReentrantLock(), pool);
                other.add("#".repeat(2000).getBytes(US_ASCII)); // would reuse recycled segments
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    while (srcs[i].hasRemaining()) {
                        sent.write(srcs[i].get());
                        n++;
                    }
                }
                other.free();
                return n;
            }

            @Override
            public long write(ByteBuffer[] srcs) {
                return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) {
                return (int) write(new ByteBuffer[] {src}, 0, 1);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        long n = out.writeTo(meddling, Long.MAX_VALUE);
        assertThat(n).isEqualTo(300);
        assertThat(sent.toString(US_ASCII)).isEqualTo(s);
        assertThat(out.length()).isZero();
    }
}
