package dev.loomevent.runtime.internal.buffer;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EvbufferCallback;
import dev.loomevent.api.EvbufferCbInfo;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.EvbufferPtr;
import dev.loomevent.api.PtrHow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour libevent 2.1.12's test/regress_buffer.c asserts, re-stated against loomevent's
 * {@link Evbuffer}. Each test names the libevent test case it ports. Glass-box checks on libevent's
 * chain layout (misalign, buffer_len, last_with_datap) are replaced by the observable results they
 * protect (contents, lengths, return values).
 */
class LibeventRegressBufferPortTest {
    private static final SegmentPool SMALL = new SegmentPool(false, 64, 64);

    private final List<ChainEvbuffer> made = new ArrayList<>();

    private ChainEvbuffer buf() {
        ChainEvbuffer b = new ChainEvbuffer();
        made.add(b);
        return b;
    }

    private ChainEvbuffer small() {
        ChainEvbuffer b = new ChainEvbuffer(new ReentrantLock(), SMALL);
        made.add(b);
        return b;
    }

    @AfterEach
    void freeAll() {
        made.forEach(ChainEvbuffer::free);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String content(Evbuffer b) {
        ByteBuffer v = b.pullup(-1);
        if (v == null) {
            return "";
        }
        byte[] out = new byte[v.remaining()];
        v.get(out);
        return new String(out, US_ASCII);
    }

    private static String remove(Evbuffer b, int n) {
        byte[] out = new byte[n];
        int got = b.remove(out, 0, n);
        return new String(out, 0, got, US_ASCII);
    }

    private static ByteBuffer ref(String s) {
        return ByteBuffer.wrap(bytes(s));
    }

    private static String str(ByteBuffer v) {
        byte[] out = new byte[v.remaining()];
        v.duplicate().get(out);
        return new String(out, US_ASCII);
    }

    /** Ports test_evbuffer: printf, add_buffer, drain, prepend, pullup, remove_buffer, one-vector reserve. */
    @Test
    void evbuffer() {
        ChainEvbuffer evb = buf();
        ChainEvbuffer two = buf();
        assertThat(evb.addPrintf("%s/%d", "hello", 1)).isEqualTo(7);
        assertThat(evb.length()).isEqualTo(7);
        evb.addBuffer(two); // empty source: nothing happens
        evb.drain("hello/".length());
        assertThat(content(evb)).isEqualTo("1");
        two.addPrintf("%s", "/hello");
        evb.addBuffer(two);
        assertThat(two.length()).isZero();
        assertThat(content(evb)).isEqualTo("1/hello");
        byte[] zeros = new byte[512];
        evb.add(zeros);
        assertThat(evb.length()).isEqualTo(7 + 512);
        ByteBuffer p = evb.pullup(7 + 512);
        assertThat(p.remaining()).isEqualTo(7 + 512);
        assertThat(str(p.slice(0, 7))).isEqualTo("1/hello");
        evb.prepend(bytes("something"));
        evb.prepend(bytes("else"));
        assertThat(str(evb.pullup(4 + 9 + 7))).isEqualTo("elsesomething1/hello");
        evb.drain(Long.MAX_VALUE); // libevent drains (size_t)-1
        two.drain(Long.MAX_VALUE);
        assertThat(evb.length()).isZero();
        for (int i = 0; i < 3; i++) {
            two.add(zeros);
            evb.addBuffer(two);
        }
        assertThat(two.length()).isZero();
        assertThat(evb.length()).isEqualTo(3 * 512);
        long moved = evb.removeBuffer(two, 1280);
        assertThat(moved).isEqualTo(1280);
        assertThat(two.length()).isEqualTo(1280);
        assertThat(evb.length()).isEqualTo(256);
        for (int i = 0; i < 3; i++) {
            ByteBuffer[] v = evb.reserveSpace(10000, 1);
            assertThat(v).hasSize(1);
            assertThat(v[0].remaining()).isGreaterThanOrEqualTo(10000);
            for (int j = 0; j < 10000; j++) {
                v[0].put((byte) j);
            }
            assertThat(evb.commitSpace(v)).isEqualTo(10000);
            assertThat(evb.length()).isGreaterThanOrEqualTo(10000);
            evb.drain(10000L * 5000);
            assertThat(evb.length()).isZero();
        }
    }

    /** Ports test_evbuffer_remove_buffer_with_empty. */
    @Test
    void removeBufferWithEmpty() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        src.addReference(ref("AA"), null);
        src.addReference(ref("AA"), null);
        dst.add(bytes("AA"));
        dst.addReference(ByteBuffer.allocate(0), null);
        assertThat(content(src)).isEqualTo("AAAA");
        assertThat(content(dst)).isEqualTo("AA");
        assertThat(src.removeBuffer(dst, 3)).isEqualTo(3);
        assertThat(content(src)).isEqualTo("A");
        assertThat(content(dst)).isEqualTo("AAAAA");
    }

    /** Ports test_evbuffer_remove_buffer_with_empty2. */
    @Test
    void removeBufferWithEmpty2() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        ChainEvbuffer tmp = buf();
        for (ChainEvbuffer target : List.of(src, dst)) {
            tmp.add(bytes("foo"));
            tmp.addReference(ref("foo"), null);
            target.addReference(ref("foo"), null);
            target.addReference(ByteBuffer.allocate(0), null);
            target.addBuffer(tmp);
        }
        assertThat(src.length()).isEqualTo(9);
        assertThat(dst.length()).isEqualTo(9);
        assertThat(content(src)).isEqualTo("foofoofoo");
        assertThat(content(dst)).isEqualTo("foofoofoo");
        assertThat(src.removeBuffer(dst, 8)).isEqualTo(8);
        assertThat(src.length()).isEqualTo(1);
        assertThat(dst.length()).isEqualTo(17);
        assertThat(content(src)).isEqualTo("o");
        assertThat(content(dst)).isEqualTo("foofoofoofoofoofo");
    }

    /** Ports test_evbuffer_remove_buffer_with_empty3 (prepend_buffer variant). */
    @Test
    void removeBufferWithEmpty3() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        ChainEvbuffer tmp = buf();
        for (ChainEvbuffer target : List.of(src, dst)) {
            tmp.add(bytes("foo"));
            tmp.addReference(ByteBuffer.allocate(0), null);
            target.addReference(ref("foo"), null);
            target.addReference(ByteBuffer.allocate(0), null);
            target.prependBuffer(tmp);
        }
        assertThat(content(src)).isEqualTo("foofoo");
        assertThat(content(dst)).isEqualTo("foofoo");
        assertThat(src.removeBuffer(dst, 5)).isEqualTo(5);
        assertThat(content(src)).isEqualTo("o");
        assertThat(content(dst)).isEqualTo("foofoofoofo");
    }

    /** Ports test_evbuffer_pullup_with_empty. */
    @Test
    void pullupWithEmpty() {
        ChainEvbuffer b = buf();
        b.add(bytes("foo"));
        b.addReference(ByteBuffer.allocate(0), null);
        assertThat(b.length()).isEqualTo(3);
        assertThat(str(b.pullup(-1))).isEqualTo("foo");
        assertThat(str(b.pullup(3))).isEqualTo("foo");
        ChainEvbuffer empty = buf();
        assertThat(empty.pullup(-1)).isNull();
    }

    /** Ports test_evbuffer_remove_buffer_with_empty_front. */
    @Test
    void removeBufferWithEmptyFront() {
        ChainEvbuffer b1 = buf();
        ChainEvbuffer b2 = buf();
        b1.addReference(ref("foo"), null);
        b1.prepend(new byte[0]);
        assertThat(b1.removeBuffer(b2, 1)).isEqualTo(1);
        b1.add(bytes("bar"));
        assertThat(content(b1)).isEqualTo("oobar");
        assertThat(content(b2)).isEqualTo("f");
    }

    /** Ports test_evbuffer_remove_buffer_adjust_last_with_datap_with_empty. */
    @Test
    void removeBufferAdjustLastWithDatapWithEmpty() {
        ChainEvbuffer b1 = small();
        ChainEvbuffer b2 = small();
        b1.add(bytes("aaaaaa"));
        ByteBuffer[] v = b1.reserveSpace(971, 2);
        assertThat(v).hasSizeBetween(1, 2);
        v[0].put((byte) 'b');
        assertThat(b1.commitSpace(v)).isEqualTo(1);
        b2.add(bytes("cc"));
        b2.prepend(bytes("ddd"));
        b2.prependBuffer(b1);
        assertThat(content(b2)).isEqualTo("aaaaaabdddcc");
        b1.addBuffer(b2);
        assertThat(b1.removeBuffer(b2, 11)).isEqualTo(11);
        assertThat(content(b2)).isEqualTo("aaaaaabdddc");
        assertThat(content(b1)).isEqualTo("c");
    }

    /** Ports test_evbuffer_add_buffer_with_empty and test_evbuffer_add_buffer_with_empty2. */
    @Test
    void addBufferWithEmpty() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        ChainEvbuffer tmp = buf();
        tmp.add(bytes("foo"));
        src.addReference(ref("foo"), null);
        src.addReference(ByteBuffer.allocate(0), null);
        src.addBuffer(tmp);
        tmp.add(bytes("foo"));
        dst.addReference(ByteBuffer.allocate(0), null);
        dst.addBuffer(tmp);
        assertThat(content(src)).isEqualTo("foofoo");
        assertThat(content(dst)).isEqualTo("foo");
    }

    /** Ports test_evbuffer_reserve2: partial commits of one and two vectors keep only the written bytes, in order. */
    @Test
    void reserve2() {
        ChainEvbuffer b = small();
        ByteBuffer[] v = b.reserveSpace(32, 2);
        assertThat(v).hasSize(1);
        assertThat(b.length()).isZero();
        v[0].put(bytes("X".repeat(20)));
        assertThat(b.commitSpace(v)).isEqualTo(20);
        assertThat(b.length()).isEqualTo(20);
        v = b.reserveSpace(8, 2);
        assertThat(v).hasSize(1);
        v[0].put(bytes("YYYY"));
        assertThat(b.commitSpace(v)).isEqualTo(4);
        // a request that needs a second vector; use only one byte of the first
        v = b.reserveSpace(100, 2);
        assertThat(v).hasSize(2);
        v[0].put((byte) 'Z');
        assertThat(b.commitSpace(v)).isEqualTo(1);
        assertThat(b.length()).isEqualTo(25);
        // split again; use part of the first and part of the second
        v = b.reserveSpace(100, 2);
        assertThat(v).hasSize(2);
        v[0].put(bytes("WWWWW"));
        v[1].put(bytes("xxxxxx"));
        assertThat(b.commitSpace(v)).isEqualTo(11);
        assertThat(content(b)).isEqualTo("X".repeat(20) + "YYYY" + "Z" + "WWWWW" + "xxxxxx");
    }

    /** Ports test_evbuffer_reserve_many (reserve_many, reserve_many2 "add", reserve_many3 "fill"), behaviourally. */
    @Test
    void reserveMany() {
        for (String mode : List.of("", "add", "fill")) {
            ChainEvbuffer b = small();
            ByteBuffer[] v = b.reserveSpace(32, 2);
            assertThat(v).hasSize(1);
            if (mode.equals("add")) {
                v[0].put((byte) 'X');
                b.commitSpace(v);
            } else if (mode.equals("fill")) {
                while (v[0].hasRemaining()) {
                    v[0].put((byte) 'X');
                }
                b.commitSpace(v);
            }
            long before = b.length();
            for (int vecs = 2; vecs <= 3; vecs++) {
                v = b.reserveSpace(64L * (vecs - 1) + 1, vecs);
                assertThat(v).as(mode).hasSize(vecs);
                assertThat(Arrays.stream(v).mapToLong(ByteBuffer::remaining).sum()).isGreaterThanOrEqualTo(64L * (vecs - 1) + 1);
            }
            v = b.reserveSpace(64 * 3 + 1, 2);
            assertThat(Arrays.stream(v).mapToLong(ByteBuffer::remaining).sum()).isGreaterThanOrEqualTo(64 * 3 + 1);
            assertThat(b.length()).isEqualTo(before);
        }
    }

    /** Ports test_evbuffer_reserve_with_empty: commit only the first of two reserved vectors. */
    @Test
    void reserveWithEmpty() {
        ChainEvbuffer b = buf();
        b.add(bytes("a"));
        ByteBuffer[] v = b.reserveSpace(1 << 12, 2);
        v[0].put((byte) 'b');
        assertThat(b.commitSpace(v[0])).isEqualTo(1);
        b.add(bytes("c"));
        assertThat(content(b)).isEqualTo("abc");
    }

    /** Ports test_evbuffer_reserve_invalid_last_with_datap. */
    @Test
    void reserveInvalidLastWithDatap() {
        ChainEvbuffer b = buf();
        b.addReference(ByteBuffer.allocate(0), null);
        b.prepend(bytes("foo"));
        b.add(new byte[0]);
        ByteBuffer[] v = b.reserveSpace(1 << 12, 2);
        assertThat(v.length).isGreaterThanOrEqualTo(1);
        assertThat(b.commitSpace(v)).isZero();
        v = b.reserveSpace(1 << 13, 2);
        assertThat(v.length).isGreaterThanOrEqualTo(1);
        assertThat(content(b)).isEqualTo("foo");
    }

    /** Ports test_evbuffer_expand: expand on empty and non-empty buffers, then add/pullup. */
    @Test
    void expand() {
        ChainEvbuffer b = buf();
        b.expand(20000);
        assertThat(b.length()).isZero();
        int segs = b.segmentCount();
        b.add(new byte[20000]);
        assertThat(b.segmentCount()).as("no allocation after expand").isEqualTo(Math.max(segs, 1));
        ChainEvbuffer c = buf();
        byte[] x = bytes("X".repeat(4096));
        c.add(x);
        c.add(x);
        c.add(x);
        c.expand(1024);
        assertThat(c.pullup(-1).remaining()).isEqualTo(3 * 4096);
        assertThat(content(c)).isEqualTo("X".repeat(3 * 4096));
    }

    /** Ports test_evbuffer_expand_overflow: impossible sizes fail and leave the buffer intact. */
    @Test
    void expandOverflow() {
        ChainEvbuffer b = buf();
        b.add(bytes("1"));
        assertThatThrownBy(() -> b.expand(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(content(b)).isEqualTo("1");
        b.add(bytes("2"));
        assertThat(content(b)).isEqualTo("12");
    }

    /** Ports test_evbuffer_add1, test_evbuffer_add2 and test_evbuffer_reference2: expand keeps order. */
    @Test
    void addAfterExpandKeepsOrder() {
        ChainEvbuffer b = buf();
        b.add(bytes("1"));
        b.expand(2048);
        b.add(bytes("2"));
        b.addPrintf("3");
        assertThat(content(b)).isEqualTo("123");
        for (boolean reference : new boolean[] {false, true}) {
            ChainEvbuffer c = buf();
            String p = "P".repeat(4096 - 10);
            c.add(bytes(p));
            c.expand(100);
            if (reference) {
                c.addReference(ref("2"), d -> { });
            } else {
                c.add(bytes("2"));
            }
            c.addPrintf("3");
            assertThat(c.length()).isEqualTo(p.length() + 2);
            assertThat(content(c)).isEqualTo(p + "23");
        }
    }

    /** Ports test_evbuffer_reference: cleanup once when the referenced bytes are all removed; prepend writes none of them. */
    @Test
    void reference() {
        ChainEvbuffer src = buf();
        ChainEvbuffer dst = buf();
        String data = "this is what we add as read-only memory.";
        ByteBuffer d = ref(data);
        List<ByteBuffer> cleaned = new ArrayList<>();
        src.addReference(d, cleaned::add);
        ByteBuffer[] v = dst.reserveSpace(data.length(), 1);
        byte[] tmp = new byte[data.length()];
        assertThat(src.remove(tmp, 0, 10)).isEqualTo(10);
        src.prepend(bytes("aaaaa"));
        src.drain(5);
        assertThat(src.remove(tmp, 10, data.length() - 10)).isEqualTo(data.length() - 10);
        v[0].put(tmp);
        dst.commitSpace(v);
        assertThat(cleaned).hasSize(1);
        assertThat(cleaned.get(0)).isSameAs(d);
        assertThat(str(d)).isEqualTo(data);
        assertThat(content(dst)).isEqualTo(data);
    }

    /** Ports test_evbuffer_iterative: many small printf appends add exactly their lengths. */
    @Test
    void iterative() {
        ChainEvbuffer b = buf();
        String abc = "abcdefghijklmnopqrstvuwxyz".repeat(4);
        long sum = 0;
        for (int i = 0; i < 100; i++) {
            for (int j = 1; j < abc.length(); j++) {
                assertThat(b.addPrintf("%" + j + "." + j + "s", abc)).isEqualTo(j);
                sum += j;
            }
        }
        assertThat(b.length()).isEqualTo(sum);
    }

    /** Ports test_evbuffer_readln: every EOL style, including CRLF_STRICT across segments and NUL. */
    @Test
    void readln() {
        ChainEvbuffer evb = buf();
        ChainEvbuffer tmp = buf();
        // EOL_ANY
        evb.add(bytes("complex silly newline\r\n\n\r\n\n\rmore\0\n"));
        EvbufferLine l = evb.readln(EolStyle.ANY);
        assertThat(l.asString()).isEqualTo("complex silly newline");
        l = evb.readln(EolStyle.ANY);
        assertThat(l.bytes()).containsExactly('m', 'o', 'r', 'e', 0);
        assertThat(l.length()).isEqualTo(5);
        assertThat(evb.length()).isZero();
        evb.add(bytes("\nno newline"));
        assertThat(evb.readLine(EolStyle.ANY)).isEmpty();
        assertThat(evb.readln(EolStyle.ANY)).isNull();
        evb.drain(evb.length());
        // EOL_CRLF
        evb.add(bytes("Line with\rin the middle\nLine with good crlf\r\n\nfinal\n"));
        assertThat(evb.readLine(EolStyle.CRLF)).isEqualTo("Line with\rin the middle");
        assertThat(evb.readLine(EolStyle.CRLF)).isEqualTo("Line with good crlf");
        assertThat(evb.readLine(EolStyle.CRLF)).isEmpty();
        assertThat(evb.readLine(EolStyle.CRLF)).isEqualTo("final");
        evb.add(bytes("x"));
        assertThat(evb.readln(EolStyle.CRLF)).isNull();
        // EOL_CRLF_STRICT
        evb.add(bytes(" and a bad crlf\nand a good one\r\n\r\nMore\r"));
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo("x and a bad crlf\nand a good one");
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEmpty();
        assertThat(evb.readln(EolStyle.CRLF_STRICT)).isNull();
        evb.add(bytes("\n"));
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo("More");
        assertThat(evb.length()).isZero();
        evb.add(bytes("An internal CR\r is not an eol\r\nNor is a lack of one"));
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo("An internal CR\r is not an eol");
        assertThat(evb.readln(EolStyle.CRLF_STRICT)).isNull();
        evb.add(bytes("\r\n"));
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo("Nor is a lack of one");
        assertThat(evb.length()).isZero();
        // EOL_LF
        evb.add(bytes("An\rand a nl\n\nText"));
        assertThat(evb.readLine(EolStyle.LF)).isEqualTo("An\rand a nl");
        assertThat(evb.readLine(EolStyle.LF)).isEmpty();
        assertThat(evb.readln(EolStyle.LF)).isNull();
        evb.add(bytes("\n"));
        assertThat(evb.readLine(EolStyle.LF)).isEqualTo("Text");
        // EOL_NUL
        assertThat(evb.length()).isZero();
        evb.add(bytes("NUL\n\0\0The all-zeros character which may serve\0to accomplish time fill\0and media fill"));
        l = evb.readln(EolStyle.NUL);
        assertThat(l.asString()).isEqualTo("NUL\n");
        assertThat(l.terminatorLength()).isEqualTo(1);
        assertThat(evb.readLine(EolStyle.NUL)).isEmpty();
        assertThat(evb.readLine(EolStyle.NUL)).isEqualTo("The all-zeros character which may serve");
        assertThat(evb.readLine(EolStyle.NUL)).isEqualTo("to accomplish time fill");
        assertThat(evb.readln(EolStyle.NUL)).isNull();
        assertThat(content(evb)).isEqualTo("and media fill");
        evb.drain(Long.MAX_VALUE);
        // CRLF_STRICT across segment boundaries
        for (String s : List.of(" and a bad crlf\nand a good one\r", "\n\r", "\nMore\r")) {
            tmp.add(bytes(s));
            evb.addBuffer(tmp);
        }
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo(" and a bad crlf\nand a good one");
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEmpty();
        assertThat(evb.readln(EolStyle.CRLF_STRICT)).isNull();
        evb.add(bytes("\n"));
        assertThat(evb.readLine(EolStyle.CRLF_STRICT)).isEqualTo("More");
        assertThat(evb.length()).isZero();
        // "memory problem" part (the failing-malloc half does not apply)
        tmp.add(bytes("one line\ntwo line\nblue line"));
        evb.addBuffer(tmp);
        assertThat(evb.readLine(EolStyle.LF)).isEqualTo("one line");
        assertThat(evb.readLine(EolStyle.LF)).isEqualTo("two line");
        assertThat(evb.readln(EolStyle.LF)).isNull();
        assertThat(content(evb)).isEqualTo("blue line");
    }

    /** Ports test_evbuffer_find (evbuffer_find is evbuffer_search from the start): no match past the end. */
    @Test
    void find() {
        ChainEvbuffer b = buf();
        b.add(bytes("1234567890\r\n"));
        b.drain(12);
        b.add(bytes("1234567890\r"));
        assertThat(b.search(bytes("\r\n"), null).found()).isFalse();
        b.drain(11);
        byte[] t3 = new byte[256];
        Arrays.fill(t3, (byte) 'a');
        t3[255] = 'x';
        b.add(t3);
        assertThat(b.search(bytes("xy"), null).found()).isFalse();
        assertThat(b.search(bytes("ax"), null).position()).isEqualTo(254);
    }

    /** Ports test_evbuffer_ptr_set: SET/ADD on an empty buffer and across three reserved segments. */
    @Test
    void ptrSet() {
        ChainEvbuffer b = buf();
        EvbufferPtr pos = b.ptrSet(null, 0, PtrHow.SET);
        assertThat(pos.position()).isZero();
        assertThat(b.ptrSet(pos, 1, PtrHow.ADD)).isNull();
        assertThat(b.ptrSet(null, 1, PtrHow.SET)).isNull();
        for (int[] part : new int[][] {{5000, 1}, {4000, 2}, {3000, 3}}) {
            ByteBuffer[] v = b.reserveSpace(part[0], 1);
            for (int i = 0; i < part[0]; i++) {
                v[0].put((byte) part[1]);
            }
            b.commitSpace(v);
        }
        assertThat(b.length()).isEqualTo(12000);
        assertThat(b.ptrSet(null, 13000, PtrHow.SET)).isNull();
        pos = b.ptrSet(null, 0, PtrHow.SET);
        assertThat(b.ptrSet(pos, 13000, PtrHow.ADD)).isNull();
        pos = b.ptrSet(pos, 10000, PtrHow.ADD);
        assertThat(pos.position()).isEqualTo(10000);
        pos = b.ptrSet(pos, 1000, PtrHow.ADD);
        assertThat(pos.position()).isEqualTo(11000);
        pos = b.ptrSet(pos, 1000, PtrHow.ADD);
        assertThat(pos.position()).isEqualTo(12000);
        assertThat(b.ptrSet(pos, 1000, PtrHow.ADD)).isNull();
        byte[] one = new byte[1];
        b.copyOutFrom(new EvbufferPtr(9000), one, 0, 1);
        assertThat(one[0]).isEqualTo((byte) 3);
        b.copyOutFrom(new EvbufferPtr(8999), one, 0, 1);
        assertThat(one[0]).isEqualTo((byte) 2);
    }

    /** Ports test_evbuffer_search: empty buffer, continuing searches, bounded searches incl. end at the end. */
    @Test
    void search() {
        ChainEvbuffer b = buf();
        ChainEvbuffer tmp = buf();
        assertThat(b.search(bytes("x"), null).found()).isFalse();
        EvbufferPtr zero = b.ptrSet(null, 0, PtrHow.SET);
        assertThat(b.search(bytes("x"), zero).found()).isFalse();
        assertThat(b.searchRange(bytes("x"), zero, zero).found()).isFalse();
        assertThat(b.searchRange(bytes("x"), zero, null).found()).isFalse();
        for (String s : List.of("hello", "foo", "cat", "attack")) {
            tmp.addPrintf(s);
            b.addBuffer(tmp);
        }
        assertThat(b.search(bytes("attack"), null).position()).isEqualTo(11);
        assertThat(b.search(bytes("attacker"), null).found()).isFalse();
        EvbufferPtr pos = b.search(bytes("oc"), null);
        assertThat(pos.position()).isEqualTo(7);
        pos = b.search(bytes("cat"), pos);
        assertThat(pos.position()).isEqualTo(8);
        assertThat(b.search(bytes("tacking"), pos).found()).isFalse();
        pos = b.ptrSet(null, 5, PtrHow.SET);
        pos = b.search(bytes("foo"), pos);
        assertThat(pos.position()).isEqualTo(5);
        pos = b.ptrSet(pos, 2, PtrHow.ADD);
        assertThat(b.search(bytes("tat"), pos).position()).isEqualTo(10);
        EvbufferPtr end = b.ptrSet(null, 12, PtrHow.SET);
        assertThat(b.searchRange(bytes("foo"), null, end).position()).isEqualTo(5);
        assertThat(b.searchRange(bytes("foocata"), null, end).position()).isEqualTo(5);
        assertThat(b.searchRange(bytes("foocatat"), null, end).found()).isFalse();
        assertThat(b.searchRange(bytes("ack"), null, end).found()).isFalse();
        end = b.ptrSet(null, 17, PtrHow.SET);
        assertThat(end).isNotNull();
        assertThat(b.searchRange(bytes("attack"), null, end).position()).isEqualTo(11);
        pos = b.ptrSet(null, 11, PtrHow.SET);
        assertThat(b.searchRange(bytes("attack"), pos, end).position()).isEqualTo(11);
        pos = b.ptrSet(null, 17, PtrHow.SET);
        assertThat(b.searchRange(bytes("attack"), pos, end).found()).isFalse();
        assertThat(b.searchRange(bytes("attack"), pos, null).found()).isFalse();
    }

    private static EvbufferCallback log(StringBuilder out) {
        return (buffer, info) -> out.append(info.origSize()).append("->")
                .append(info.origSize() + info.nAdded() - info.nDeleted()).append("; ");
    }

    /** Ports test_evbuffer_callbacks: two logging callbacks, one disabled for a while, removal, a self-draining callback. */
    @Test
    void callbacks() {
        ChainEvbuffer b = buf();
        StringBuilder out1 = new StringBuilder();
        StringBuilder out2 = new StringBuilder();
        Evbuffer.CallbackEntry cb1 = b.addCallback(log(out1));
        Evbuffer.CallbackEntry cb2 = b.addCallback(log(out2));
        b.addPrintf("The %d magic words are spotty pudding", 2); // 0->36
        cb2.setEnabled(false);
        b.drain(10); // 36->26
        b.prepend(bytes("Hello")); // 26->31
        cb2.setEnabled(true);
        b.addReference(ref("Goodbye"), null); // 31->38
        assertThat(cb1.remove()).isTrue();
        b.drain(b.length()); // 38->0
        assertThat(cb1.remove()).isFalse();
        b.add(bytes("X")); // 0->1
        assertThat(cb2.remove()).isTrue();
        assertThat(out1).hasToString("0->36; 36->26; 26->31; 31->38; ");
        assertThat(out2).hasToString("0->36; 31->38; 38->0; 0->1; ");
        // libevent's evbuffer_setcb(self_draining_callback): the only callback left drains what is added
        b.drain(b.length());
        Evbuffer.CallbackEntry self = b.addCallback((buffer, info) -> {
            if (info.nAdded() > info.nDeleted()) {
                buffer.drain(buffer.length());
            }
        });
        b.addPrintf("This should get drained right away.");
        assertThat(b.length()).isZero();
        self.remove();
        b.addPrintf("This will not.");
        assertThat(content(b)).isEqualTo("This will not.");
    }

    /** Ports test_evbuffer_add_reference: partial removal from references, prepend, cleanup timing across add_buffer and free. */
    @Test
    void addReference() {
        String chunk1 = "If you have found the answer to such a problem";
        String chunk2 = "you ought to write it up for publication";
        ByteBuffer c1 = ref(chunk1);
        ByteBuffer c2 = ref(chunk2);
        List<ByteBuffer> done = new ArrayList<>();
        ChainEvbuffer b1 = buf();
        b1.addReference(c1, done::add);
        b1.add(bytes(", "));
        b1.addReference(c2, done::add);
        assertThat(b1.length()).isEqualTo(chunk1.length() + chunk2.length() + 2);
        assertThat(remove(b1, 6)).isEqualTo("If you");
        assertThat(remove(b1, 5)).isEqualTo(" have");
        b1.prepend(bytes("I have "));
        assertThat(str(c1)).isEqualTo(chunk1);
        b1.drain(7);
        b1.drain(chunk1.length() - 11 - 1);
        assertThat(done).isEmpty();
        assertThat(remove(b1, 1)).isEqualTo("m");
        assertThat(done).containsExactly(c1);
        assertThat(done.get(0)).isSameAs(c1);
        b1.drain(6);
        ChainEvbuffer b2 = buf();
        b2.add(bytes("I "));
        b2.addBuffer(b1);
        assertThat(done).hasSize(1);
        assertThat(remove(b2, 16)).isEqualTo("I ought to write");
        b2.drain(b2.length());
        assertThat(done).hasSize(2);
        assertThat(done.get(1)).isSameAs(c2);
        ByteBuffer ketchup = ref("ketchup bottle");
        b1.add(bytes("You shake and shake the "));
        b1.addReference(ketchup, done::add);
        b1.add(bytes(". Nothing comes and then a lot'll."));
        b1.free();
        assertThat(done).hasSize(3);
        assertThat(done.get(2)).isSameAs(ketchup);
    }

    /** Ports test_evbuffer_multicast (the nested-reference refusal is a documented difference: only self-reference is refused). */
    @Test
    void multicast() {
        String chunk1 = "If you have found the answer to such a problem";
        String chunk2 = "you ought to write it up for publication";
        ChainEvbuffer b1 = buf();
        b1.add(bytes(chunk1));
        b1.add(bytes(", "));
        b1.add(bytes(chunk2));
        ChainEvbuffer b2 = buf();
        b2.addBufferReference(b1);
        assertThatThrownBy(() -> b2.addBufferReference(b2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b2.length()).isEqualTo(b1.length());
        assertThat(remove(b1, 6)).isEqualTo("If you");
        assertThat(remove(b1, 5)).isEqualTo(" have");
        b1.prepend(bytes("I have "));
        assertThat(remove(b2, 6)).isEqualTo("If you");
        assertThat(remove(b2, 5)).isEqualTo(" have");
        b2.prepend(bytes("I have "));
        b1.free();
        assertThat(remove(b2, 6)).isEqualTo("I have");
        assertThat(remove(b2, 6)).isEqualTo("  foun");
    }

    /** Ports test_evbuffer_multicast_drain: draining the original leaves the view intact. */
    @Test
    void multicastDrain() {
        ChainEvbuffer b1 = buf();
        b1.add(bytes("If you have found the answer to such a problem"));
        b1.add(bytes(", "));
        b1.add(bytes("you ought to write it up for publication"));
        long len = b1.length();
        ChainEvbuffer b2 = buf();
        b2.addBufferReference(b1);
        assertThat(b2.length()).isEqualTo(len);
        b1.drain(b1.length());
        assertThat(b2.length()).isEqualTo(len);
        assertThat(content(b2)).startsWith("If you have").endsWith("publication");
        b2.drain(b2.length());
        assertThat(b2.length()).isZero();
    }

    /** Ports test_evbuffer_prepend: every prepend case, prepend_buffer, and the callback info of a large prepend. */
    @Test
    void prepend() {
        ChainEvbuffer b1 = small();
        b1.prepend(bytes("This string has 29 characters"));
        b1.prepend(bytes("Short."));
        b1.drain(6 + 11);
        b1.prepend(bytes("it"));
        assertThat(str(b1.peek(6, null, 1)[0]).substring(0, 6)).isEqualTo("it has");
        b1.prepend(bytes("It is no longer true to say "));
        assertThat(remove(b1, 127)).isEqualTo("It is no longer true to say it has 29 characters");
        ChainEvbuffer b2 = buf();
        b1.addPrintf("Here is string %d. ", 999);
        b2.prependBuffer(b1);
        b1.addPrintf("Here is string %d. ", 1000);
        b2.prependBuffer(b1);
        assertThat(b1.length()).isZero();
        assertThat(remove(b2, 127)).isEqualTo("Here is string 1000. Here is string 999. ");
        ChainEvbuffer b3 = buf();
        b3.prepend(bytes("foo"));
        List<EvbufferCbInfo> seen = new ArrayList<>();
        Evbuffer.CallbackEntry e = b3.addCallback((buffer, info) -> seen.add(info));
        byte[] as = new byte[8096];
        Arrays.fill(as, (byte) 'A');
        b3.prepend(as);
        e.remove();
        assertThat(seen).containsExactly(new EvbufferCbInfo(3, 8096, 0));
        assertThat(str(b3.pullup(8096))).isEqualTo("A".repeat(8096));
        b3.drain(8096);
        assertThat(content(b3)).isEqualTo("foo");
    }

    /** Ports test_evbuffer_empty_reference_prepend and test_evbuffer_empty_reference_prepend_buffer. */
    @Test
    void emptyReferencePrepend() {
        ChainEvbuffer b = buf();
        int[] cleanups = {0};
        b.addReference(ByteBuffer.allocate(0), d -> cleanups[0]++);
        assertThat(cleanups[0]).as("documented: an empty reference is cleaned up at once").isEqualTo(1);
        b.prepend(bytes("foo"));
        assertThat(content(b)).isEqualTo("foo");
        ChainEvbuffer e1 = buf();
        ChainEvbuffer e2 = buf();
        e1.addReference(ByteBuffer.allocate(0), null);
        e2.add(bytes("foo"));
        e2.prependBuffer(e1);
        assertThat(content(e2)).isEqualTo("foo");
        assertThat(e1.pullup(-1)).isNull();
    }

    private ChainEvbuffer chunks(String... parts) {
        ChainEvbuffer b = buf();
        ChainEvbuffer tmp = buf();
        for (String p : parts) {
            tmp.addPrintf("%s", p);
            b.addBuffer(tmp);
        }
        return b;
    }

    /** Ports test_evbuffer_peek_first_gt: a start position inside the first segment. */
    @Test
    void peekFirstGt() {
        ChainEvbuffer b = chunks("Contents of chunk 100\n", "Contents of chunk 1\n");
        EvbufferPtr ptr = b.ptrSet(null, 0, PtrHow.SET);
        assertThat(b.peekCount(-1, ptr)).isEqualTo(2);
        assertThat(b.peek(-1, ptr, 2)).hasSize(2);
        ptr = b.ptrSet(ptr, 20, PtrHow.ADD);
        assertThat(b.peekCount(-1, ptr)).isEqualTo(2);
        assertThat(b.peek(-1, ptr, 2)).hasSize(2);
        assertThat(b.peekCount(2, ptr)).isEqualTo(1);
        assertThat(b.peek(2, ptr, 2)).hasSize(1);
        assertThat(b.peekCount(3, ptr)).isEqualTo(2);
        assertThat(b.peek(3, ptr, 2)).hasSize(2);
    }

    /** Ports test_evbuffer_peek: counts and vectors of a 16-segment buffer, from the start and from positions. */
    @Test
    void peek() {
        String[] parts = new String[16];
        for (int i = 0; i < 16; i++) {
            parts[i] = "Contents of chunk [" + i + "]\n";
        }
        ChainEvbuffer b = chunks(parts);
        assertThat(b.peekCount(-1, null)).isEqualTo(16);
        ByteBuffer[] v = b.peek(-1, null, 20);
        assertThat(v).hasSize(16);
        for (int i : new int[] {0, 3, 12, 15}) {
            assertThat(str(v[i])).isEqualTo(parts[i]);
        }
        v = b.peek(-1, null, 1);
        assertThat(v).hasSize(1);
        assertThat(str(v[0])).isEqualTo(parts[0]);
        v = b.peek(40, null, 16);
        assertThat(v).hasSize(2);
        assertThat(str(v[1])).isEqualTo(parts[1]);
        assertThat(b.peekCount(100, null)).isEqualTo(5);
        assertThat(b.peekCount(60, null)).isEqualTo(3);
        assertThat(b.peek(60, null, 1)).hasSize(1);
        v = b.peek(65536, null, 20);
        assertThat(v).hasSize(16);
        assertThat(str(v[15])).isEqualTo(parts[15]);
        ChainEvbuffer empty = buf();
        assertThat(empty.peek(-1, null, 20)).isEmpty();
        assertThat(empty.peek(50, null, 20)).isEmpty();
        EvbufferPtr ptr = b.ptrSet(null, 30, PtrHow.SET);
        v = b.peek(50, ptr, 20);
        assertThat(v).hasSize(3);
        assertThat(str(v[0])).isEqualTo(" of chunk [1]\n");
        assertThat(str(v[1])).isEqualTo(parts[2]);
        assertThat(str(v[2])).isEqualTo(parts[3]);
        ptr = b.ptrSet(ptr, 14, PtrHow.ADD);
        v = b.peek(44, ptr, 20);
        assertThat(v).hasSize(2);
        assertThat(str(v[0])).isEqualTo(parts[2]);
        assertThat(str(v[1])).isEqualTo(parts[3]);
        ptr = b.ptrSet(null, b.length(), PtrHow.SET);
        assertThat(b.peek(44, ptr, 20)).isEmpty();
    }

    /** Ports test_evbuffer_freeze ("start"): with the front frozen, every end operation still works, with libevent's results. */
    @Test
    void freezeStartAllowsEndOperations(@TempDir Path dir) throws IOException {
        ChainEvbuffer b = buf();
        ChainEvbuffer tmp = buf();
        b.add(bytes("I've known the wind by water banks to shake\n"));
        tmp.add(bytes("xyz"));
        b.freeze(true);
        long len = b.length();
        b.add(new byte[0]);
        ByteBuffer[] v = b.reserveSpace(10, 1);
        assertThat(v).hasSize(1);
        v[0].put(bytes("XXXXXXXXXX"));
        assertThat(b.commitSpace(v)).isEqualTo(10);
        b.addReference(ref("I've "), null);
        assertThat(b.addPrintf("Hello %s", "world")).isEqualTo(11);
        b.addBuffer(tmp);
        Path f = Files.writeString(dir.resolve("file_freeze_test_file"), "file_freeze_test_file");
        b.addFile(FileChannel.open(f, StandardOpenOption.READ), 0, 21);
        assertThat(b.length()).isEqualTo(len + 10 + 5 + 11 + 3 + 21);
        // the front stays frozen
        assertThatThrownBy(() -> b.drain(3)).isInstanceOf(IllegalStateException.class);
        b.unfreeze(true);
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("I've known the wind by water banks to shake");
        assertThat(content(b)).isEqualTo("XXXXXXXXXXI've Hello worldxyzfile_freeze_test_file");
    }

    /** Ports test_evbuffer_freeze ("end"): add_file refused on a frozen end (channel left open); front operations work. */
    @Test
    void freezeEndRefusesAddFileAndAllowsFrontOperations(@TempDir Path dir) throws IOException {
        ChainEvbuffer b = buf();
        ChainEvbuffer tmp = buf();
        b.add(bytes("I've known the wind\nThe late leaves down"));
        b.freeze(false);
        Path f = Files.writeString(dir.resolve("file_freeze_test_file"), "file_freeze_test_file");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> b.addFile(ch, 0, 21)).isInstanceOf(IllegalStateException.class);
            assertThat(ch.isOpen()).isTrue();
        }
        long len = b.length();
        assertThat(remove(b, 1)).isEqualTo("I");
        b.drain(3);
        b.prepend(bytes("dummy"));
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("dummy known the wind");
        tmp.add(bytes("xyz"));
        assertThat(b.removeBuffer(tmp, 3)).isEqualTo(3);
        b.drain(3);
        b.prependBuffer(tmp);
        // tmp "xyz" + "The" moved out of b; b lost " la" to the drain
        assertThat(content(b)).isEqualTo("xyzThete leaves down");
        assertThat(len).isEqualTo(40);
    }

    /** Ports test_evbuffer_add_iovec. */
    @Test
    void addIovec() {
        ChainEvbuffer b = buf();
        String[] data = {
            "Guilt resembles a sword with two edges.",
            "On the one hand, it cuts for Justice, imposing practical morality upon those who fear it.",
            "Conscience does not always adhere to rational judgment.",
            "Guilt is always a self-imposed burden, but it is not always rightly imposed."};
        ByteBuffer[] vec = Arrays.stream(data).map(LibeventRegressBufferPortTest::ref).toArray(ByteBuffer[]::new);
        long expected = Arrays.stream(data).mapToLong(String::length).sum();
        assertThat(b.addAll(vec)).isEqualTo(expected);
        assertThat(b.length()).isEqualTo(expected);
        for (String d : data) {
            assertThat(remove(b, d.length())).isEqualTo(d);
        }
        assertThat(b.length()).isZero();
    }

    /** Ports test_evbuffer_copyout: copyout and copyout_from across three segments, truncation, non-destructive. */
    @Test
    void copyout() {
        String s = "Still they skirmish to and fro, men my messmates on the snow "
                + "When we headed off the aurochs turn for turn; "
                + "When the rich Allobrogenses never kept amanuenses, "
                + "And our only plots were piled in lakes at Berne.";
        assertThat(s).hasSize(206);
        ChainEvbuffer b = buf();
        b.addReference(ref(s.substring(0, 80)), d -> { });
        b.addReference(ref(s.substring(80, 160)), d -> { });
        b.add(bytes(s.substring(160)));
        assertThat(b.length()).isEqualTo(206);
        byte[] tmp = new byte[1024];
        assertThat(b.copyOut(tmp, 0, 10)).isEqualTo(10);
        assertThat(new String(tmp, 0, 10, US_ASCII)).isEqualTo("Still they");
        assertThat(b.copyOut(tmp, 0, 100)).isEqualTo(100);
        assertThat(new String(tmp, 0, 100, US_ASCII)).isEqualTo(s.substring(0, 100));
        assertThat(b.copyOut(tmp, 0, 230)).isEqualTo(206);
        assertThat(new String(tmp, 0, 206, US_ASCII)).isEqualTo(s);
        assertThat(b.length()).isEqualTo(206);
        EvbufferPtr ptr = b.ptrSet(null, 15, PtrHow.SET);
        assertThat(b.copyOutFrom(ptr, tmp, 0, 10)).isEqualTo(10);
        assertThat(new String(tmp, 0, 10, US_ASCII)).isEqualTo("mish to an");
        for (int n : new int[] {65, 90, 160}) {
            assertThat(b.copyOutFrom(ptr, tmp, 0, n)).isEqualTo(n);
            assertThat(new String(tmp, 0, n, US_ASCII)).isEqualTo(s.substring(15, 15 + n));
        }
        assertThat(b.copyOutFrom(ptr, tmp, 0, 999)).isEqualTo(206 - 15);
        assertThat(new String(tmp, 0, 206 - 15, US_ASCII)).isEqualTo(s.substring(15));
        assertThat(b.length()).isEqualTo(206);
    }

    /** Ports test_evbuffer_add_file (add_file_offset*, big file): the bytes of [offset, offset+length) arrive in order. */
    @Test
    void addFileOffsets(@TempDir Path dir) throws IOException {
        byte[] data = new byte[1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        Path f = dir.resolve("bigfile");
        Files.write(f, data);
        for (long[] range : new long[][] {{0, -1}, {0, data.length}, {4096, 65536}, {12345, data.length - 12345}, {100, -1}}) {
            ChainEvbuffer b = buf();
            b.add(bytes("head"));
            b.addFile(FileChannel.open(f, StandardOpenOption.READ), range[0], range[1]);
            int n = (int) (range[1] < 0 ? data.length - range[0] : range[1]);
            assertThat(b.length()).isEqualTo(4 + n);
            b.drain(4);
            byte[] out = new byte[n];
            assertThat(b.remove(out, 0, n)).isEqualTo(n);
            assertThat(out).isEqualTo(Arrays.copyOfRange(data, (int) range[0], (int) range[0] + n));
        }
    }
}
