package dev.loomevent.runtime.internal.buffer;

import static dev.loomevent.runtime.internal.buffer.ChainEvbufferTest.bytes;
import static dev.loomevent.runtime.internal.buffer.ChainEvbufferTest.content;
import static dev.loomevent.runtime.internal.buffer.ChainEvbufferTest.pattern;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EvbufferCbInfo;
import dev.loomevent.api.EvbufferPtr;
import dev.loomevent.api.EventBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** References, multicast, file segments and the pool: the segment kinds other than plain memory. */
class ChainEvbufferSegmentsTest {
    @TempDir
    Path dir;

    private final SegmentPool pool = new SegmentPool(false, 64, 64);

    private ChainEvbuffer buf() {
        return new ChainEvbuffer(new ReentrantLock(), pool);
    }

    private FileChannel file(String content) throws IOException {
        Path f = Files.createTempFile(dir, "seg", ".txt");
        Files.writeString(f, content, US_ASCII);
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    /** regress_buffer.c test_evbuffer_reference, in spirit. */
    @Test
    void referenceCleanupRunsOnceWhenLastByteIsDrained() {
        ChainEvbuffer b = buf();
        ByteBuffer data = ByteBuffer.wrap(bytes("this is what we add as read-only memory."));
        List<ByteBuffer> cleaned = new ArrayList<>();
        b.addReference(data, cleaned::add);
        b.add(bytes("+tail"));
        assertThat(content(b)).isEqualTo("this is what we add as read-only memory.+tail");
        b.drain(10);
        assertThat(cleaned).isEmpty();
        byte[] out = new byte[30];
        b.remove(out, 0, 30);
        assertThat(cleaned).containsExactly(data);
        b.drain(100);
        assertThat(cleaned).hasSize(1);
        assertThat(data.array()[0]).isEqualTo((byte) 't'); // never written into
    }

    @Test
    void referenceCleanupFollowsBytesMovedToAnotherBuffer() {
        ChainEvbuffer a = buf();
        ChainEvbuffer b = buf();
        AtomicInteger cleaned = new AtomicInteger();
        a.addReference(ByteBuffer.wrap(bytes("moved")), x -> cleaned.incrementAndGet());
        b.addBuffer(a);
        assertThat(cleaned).hasValue(0);
        a.free();
        assertThat(cleaned).hasValue(0);
        b.free();
        assertThat(cleaned).hasValue(1);
    }

    @Test
    void referenceCleanupIsNotRunWhenTheAddFails() {
        ChainEvbuffer b = buf();
        b.freeze(false);
        AtomicInteger cleaned = new AtomicInteger();
        assertThatThrownBy(() -> b.addReference(ByteBuffer.wrap(bytes("x")), x -> cleaned.incrementAndGet()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(cleaned).hasValue(0);
        b.unfreeze(false);
        b.addReference(ByteBuffer.allocate(0), x -> cleaned.incrementAndGet());
        assertThat(cleaned).as("an empty reference is done at once").hasValue(1);
        assertThat(b.segmentCount()).isZero();
    }

    @Test
    void appendsAndPrependsNeverWriteIntoReferencedMemory() {
        ChainEvbuffer b = buf();
        byte[] mem = bytes("0123456789");
        ByteBuffer data = ByteBuffer.wrap(mem, 2, 6); // "234567"
        b.addReference(data, null);
        b.drain(2);
        b.prepend(bytes("ab"));
        b.add(bytes("cd"));
        assertThat(content(b)).isEqualTo("ab4567cd");
        assertThat(new String(mem, US_ASCII)).isEqualTo("0123456789");
        assertThat(b.pullup(-1).remaining()).isEqualTo(8);
        assertThat(new String(mem, US_ASCII)).isEqualTo("0123456789");
    }

    /** regress_buffer.c test_evbuffer_multicast and multicast_drain, in spirit. */
    @Test
    void bufferReferenceSharesBytesIndependently() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        String s = pattern(300);
        src.add(bytes(s));
        dst.add(bytes("<"));
        dst.addBufferReference(src);
        assertThat(src.length()).isEqualTo(300);
        assertThat(content(dst)).isEqualTo("<" + s);
        src.drain(300);
        assertThat(content(dst)).isEqualTo("<" + s);
        src.add(bytes(pattern(100)));
        dst.drain(150);
        assertThat(content(dst)).isEqualTo(s.substring(149));
        assertThat(content(src)).isEqualTo(pattern(100));
        dst.add(bytes(">"));
        assertThat(content(dst)).isEqualTo(s.substring(149) + ">");
        assertThatThrownBy(() -> dst.addBufferReference(dst)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedStorageReturnsToThePoolOnlyWhenBothLetGo() {
        SegmentPool own = new SegmentPool(true, 64, 64);
        ChainEvbuffer src = new ChainEvbuffer(new ReentrantLock(), own);
        ChainEvbuffer dst = new ChainEvbuffer(new ReentrantLock(), own);
        src.add(bytes(pattern(64)));
        int idle = own.idle();
        dst.addBufferReference(src);
        src.drain(64);
        assertThat(own.idle()).isEqualTo(idle);
        // the storage is still dst's: reusing it now would corrupt dst
        ChainEvbuffer other = new ChainEvbuffer(new ReentrantLock(), own);
        other.add(bytes("X".repeat(64)));
        assertThat(content(dst)).isEqualTo(pattern(64));
        dst.drain(64);
        assertThat(own.idle()).isEqualTo(idle + 1);
    }

    @Test
    void bufferReferenceOfFileSegmentsIsRefused() throws IOException {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        src.addFile(file("file bytes"), 0, -1);
        assertThatThrownBy(() -> dst.addBufferReference(src)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThat(dst.length()).isZero();
        src.free();
    }

    /** regress_buffer.c test_evbuffer_add_file, in spirit: bytes read lazily, file closed when done. */
    @Test
    void fileSegmentIsReadLazilyAndClosedWhenDrained() throws IOException {
        ChainEvbuffer b = buf();
        FileChannel ch = file("header\nfile line one\nfile line two\n");
        b.add(bytes(">"));
        b.addFile(ch, 0, -1);
        assertThat(b.length()).isEqualTo(1 + 35);
        assertThat(b.readLine(EolStyle.LF)).isEqualTo(">header");
        assertThat(b.search(bytes("two"), null).position()).isEqualTo(24);
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("file line one");
        assertThat(ch.isOpen()).isFalse(); // read into memory, so closed already
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("file line two");
    }

    @Test
    void fileSegmentRangesAreChecked() throws IOException {
        ChainEvbuffer b = buf();
        FileChannel ch = file("0123456789");
        assertThatThrownBy(() -> b.addFile(ch, 11, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 11");
        assertThatThrownBy(() -> b.addFile(ch, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 6");
        assertThatThrownBy(() -> b.addFile(ch, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ch.isOpen()).as("a failed add does not take the channel").isTrue();
        b.addFile(ch, 3, 4);
        assertThat(content(b)).isEqualTo("3456");
        b.free();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void fileSegmentsMoveWithAddBufferAndCloseOnDrainOrFree() throws IOException {
        ChainEvbuffer a = buf();
        ChainEvbuffer b = buf();
        FileChannel one = file("one");
        FileChannel two = file("two");
        a.addFile(one, 0, -1);
        a.addFile(two, 0, -1);
        b.addBuffer(a);
        assertThat(b.length()).isEqualTo(6);
        b.drain(4); // all of "one" and a byte of "two", without reading them
        assertThat(one.isOpen()).isFalse();
        assertThat(two.isOpen()).isTrue();
        assertThat(content(b)).isEqualTo("wo");
        ChainEvbuffer c = buf();
        FileChannel three = file("three");
        c.addFile(three, 0, -1);
        c.free();
        assertThat(three.isOpen()).isFalse();
    }

    @Test
    void removeBufferSplitsInsideAFileSegment() throws IOException {
        ChainEvbuffer a = buf();
        ChainEvbuffer b = buf();
        a.add(bytes("mem:"));
        a.addFile(file("file-bytes"), 0, -1);
        assertThat(a.removeBuffer(b, 8)).isEqualTo(8);
        assertThat(content(b)).isEqualTo("mem:file");
        assertThat(content(a)).isEqualTo("-bytes");
    }

    @Test
    void peekAndPullupSeeFileBytes() throws IOException {
        ChainEvbuffer b = buf();
        b.addFile(file("abcdef"), 1, 4);
        ByteBuffer[] v = b.peek(-1, null, 4);
        assertThat(v).hasSize(1);
        assertThat(US_ASCII.decode(v[0]).toString()).isEqualTo("bcde");
        assertThat(US_ASCII.decode(b.pullup(3)).toString()).isEqualTo("bcd");
    }

    @Test
    void prependInFrontOfImmutableSegmentUsesANewOne() {
        ChainEvbuffer b = buf();
        b.addReference(ByteBuffer.wrap(bytes("ref")).asReadOnlyBuffer(), null);
        b.prepend(bytes("pre-"));
        assertThat(content(b)).isEqualTo("pre-ref");
        assertThat(b.segmentCount()).isEqualTo(2);
    }

    @Test
    void reserveAfterExpandUsesTheExpandedSpace() {
        ChainEvbuffer b = buf();
        b.expand(500);
        ByteBuffer[] v = b.reserveSpace(500, 1);
        assertThat(v[0].remaining()).isGreaterThanOrEqualTo(500);
        v[0].put(bytes(pattern(500)));
        assertThat(b.commitSpace(v)).isEqualTo(500);
        assertThat(b.segmentCount()).isEqualTo(1);
        ByteBuffer[] again = b.reserveSpace(10, 1);
        ByteBuffer[] last = b.reserveSpace(10, 1); // re-reserving replaces the first reservation
        assertThatThrownBy(() -> b.commitSpace(again)).isInstanceOf(IllegalArgumentException.class);
        last[0].put(bytes("xy"));
        assertThat(b.commitSpace(last)).isEqualTo(2);
        assertThat(b.length()).isEqualTo(502);
    }

    @Test
    void commitOfNothingAddsNothingAndKeepsNoSegment() {
        ChainEvbuffer b = buf();
        ByteBuffer[] v = b.reserveSpace(100, 3);
        assertThat(b.commitSpace(v)).isZero();
        assertThat(b.segmentCount()).isZero();
        assertThat(b.commitSpace()).isZero();
    }

    @Test
    void copyOutFromFrozenFrontFailsAsInLibevent() {
        ChainEvbuffer b = buf();
        b.add(bytes("abc"));
        b.freeze(true);
        assertThatThrownBy(() -> b.copyOut(new byte[3], 0, 3)).isInstanceOf(IllegalStateException.class);
        assertThat(b.copyOutFrom(new EvbufferPtr(3), new byte[3], 0, 3)).isZero();
        assertThat(b.pullup(2)).isNotNull(); // pullup ignores the freeze, as in libevent
    }

    @Test
    void deferredCallbacksDoNotRunAfterFree() {
        ChainEvbuffer b = buf();
        FakeScheduler sched = new FakeScheduler();
        b.deferCallbacks(sched);
        AtomicInteger calls = new AtomicInteger();
        b.addCallback((x, info) -> calls.incrementAndGet());
        b.add(bytes("abc"));
        b.free();
        sched.runDeferred();
        assertThat(calls).hasValue(0);
    }

    @Test
    void createGoesThroughTheProvider() {
        try (Evbuffer b = Evbuffer.create()) {
            assertThat(b).isInstanceOf(ChainEvbuffer.class);
            b.add(bytes("x"));
            assertThat(b.length()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(20)
    void deferredCallbacksRunOnTheBaseCallbackThread() throws InterruptedException {
        EventBase base = EventBase.create();
        try {
            base.start();
            ChainEvbuffer b = buf();
            b.deferCallbacks(base);
            CountDownLatch ran = new CountDownLatch(1);
            boolean[] onBaseThread = new boolean[1];
            EvbufferCbInfo[] seen = new EvbufferCbInfo[1];
            b.addCallback((x, info) -> {
                onBaseThread[0] = base.inCallbackThread();
                seen[0] = info;
                ran.countDown();
            });
            b.lock();
            try {
                b.add(bytes("abc"));
                b.drain(1);
            } finally {
                b.unlock();
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(onBaseThread[0]).isTrue();
            assertThat(seen[0].origSize() + seen[0].nAdded() - seen[0].nDeleted()).isEqualTo(2);
            b.free();
        } finally {
            base.free();
        }
    }

    @Test
    void reserveWithHugeVectorCountUsesOnlyWhatItNeeds() {
        ChainEvbuffer b = buf();
        ByteBuffer[] v = b.reserveSpace(100, Integer.MAX_VALUE);
        assertThat(v.length).isBetween(1, 3);
        assertThat(Arrays.stream(v).mapToLong(ByteBuffer::remaining).sum()).isGreaterThanOrEqualTo(100);
        assertThat(b.commitSpace(v)).isZero();
    }
}
