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
}
