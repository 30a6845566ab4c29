package dev.loomevent.runtime.internal.buffer;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EvbufferCbInfo;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.EvbufferPtr;
import dev.loomevent.api.PtrHow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit tests per operation; many follow what libevent's test/regress_buffer.c checks. */
class ChainEvbufferTest {
    /** Tiny segments, so that a few bytes already span several of them. */
    private static final SegmentPool SMALL = new SegmentPool(false, 64, 64);

    private final List<ChainEvbuffer> made = new ArrayList<>();

    private ChainEvbuffer small() {
        ChainEvbuffer b = new ChainEvbuffer(new ReentrantLock(), SMALL);
        made.add(b);
        return b;
    }

    private ChainEvbuffer big() {
        ChainEvbuffer b = new ChainEvbuffer();
        made.add(b);
        return b;
    }

    @AfterEach
    void freeAll() {
        made.forEach(ChainEvbuffer::free);
    }

    static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    static String content(Evbuffer b) {
        byte[] out = new byte[(int) b.length()];
        b.copyOut(out, 0, out.length);
        return new String(out, US_ASCII);
    }

    static String pattern(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    @Test
    void emptyBufferHoldsNoSegment() {
        ChainEvbuffer b = small();
        assertThat(b.length()).isZero();
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.segmentCount()).isZero();
        assertThat(b.contiguousSpace()).isZero();
        b.add(bytes("hello"));
        b.drain(5);
        assertThat(b.segmentCount()).isZero();
        SegmentPool own = new SegmentPool(true, 64, 4);
        ChainEvbuffer c = new ChainEvbuffer(new ReentrantLock(), own);
        c.add(bytes("hello"));
        assertThat(own.idle()).isZero();
        c.drain(5);
        if (!ChainEvbuffer.KEEP_SPARE) {
            assertThat(own.idle()).as("the drained segment went back to the pool").isEqualTo(1);
        }
        c.free();
        assertThat(own.idle()).isEqualTo(1);
    }

    @Test
    void addThenRemoveReturnsSameBytesAcrossSegments() {
        ChainEvbuffer b = small();
        String s = pattern(1000);
        b.add(bytes(s));
        assertThat(b.length()).isEqualTo(1000);
        assertThat(b.segmentCount()).isGreaterThan(10);
        assertThat(b.contiguousSpace()).isEqualTo(64);
        byte[] out = new byte[1200];
        assertThat(b.remove(out, 100, 1100)).isEqualTo(1000);
        assertThat(new String(out, 100, 1000, US_ASCII)).isEqualTo(s);
        assertThat(b.length()).isZero();
    }

    @Test
    void addByteBufferConsumesItsRemainingBytes() {
        ChainEvbuffer b = small();
        ByteBuffer src = ByteBuffer.wrap(bytes(pattern(200)));
        src.position(10);
        b.add(src);
        assertThat(src.hasRemaining()).isFalse();
        assertThat(content(b)).isEqualTo(pattern(200).substring(10));
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        direct.put(bytes(pattern(100))).flip();
        b.add(direct);
        assertThat(b.length()).isEqualTo(290);
    }

    @Test
    void addAllAppendsInOrderAndReturnsTotal() {
        ChainEvbuffer b = small();
        long n = b.addAll(ByteBuffer.wrap(bytes("ab")), ByteBuffer.wrap(bytes("")), ByteBuffer.wrap(bytes("cde")));
        assertThat(n).isEqualTo(5);
        assertThat(content(b)).isEqualTo("abcde");
    }

    @Test
    void addPrintfFormatsAndReturnsByteCount() {
        ChainEvbuffer b = small();
        assertThat(b.addPrintf("Hello %s %d", "world", 7)).isEqualTo(13);
        assertThat(b.addPrintf("%s", "é")).isEqualTo(2);
        assertThat(content(b)).startsWith("Hello world 7");
    }

    @Test
    void drainRemovesFromFrontAndClampsToLength() {
        ChainEvbuffer b = small();
        b.add(bytes(pattern(300)));
        b.drain(100);
        assertThat(content(b)).isEqualTo(pattern(300).substring(100));
        b.drain(1000);
        assertThat(b.length()).isZero();
        assertThat(b.segmentCount()).isZero();
    }

    @Test
    void copyOutLeavesBytesAndCopyOutFromStartsAtPosition() {
        ChainEvbuffer b = small();
        b.add(bytes(pattern(300)));
        byte[] out = new byte[50];
        assertThat(b.copyOut(out, 0, 50)).isEqualTo(50);
        assertThat(b.length()).isEqualTo(300);
        assertThat(b.copyOutFrom(new EvbufferPtr(290), out, 0, 50)).isEqualTo(10);
        assertThat(new String(out, 0, 10, US_ASCII)).isEqualTo(pattern(300).substring(290));
        assertThat(b.copyOutFrom(new EvbufferPtr(300), out, 0, 50)).isZero();
        ByteBuffer dst = ByteBuffer.allocate(20);
        assertThat(b.copyOut(dst)).isEqualTo(20);
        assertThat(dst.position()).isEqualTo(20);
        assertThatThrownBy(() -> b.copyOutFrom(new EvbufferPtr(301), out, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pos").hasMessageContaining("301");
    }

    @Test
    void removeIntoByteBufferMovesBytes() {
        ChainEvbuffer b = small();
        b.add(bytes("0123456789"));
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThat(b.remove(dst)).isEqualTo(4);
        assertThat(new String(dst.array(), US_ASCII)).isEqualTo("0123");
        assertThat(content(b)).isEqualTo("456789");
    }

    @Test
    void addBufferMovesSegmentsAndEmptiesSource() {
        ChainEvbuffer a = small();
        ChainEvbuffer b = small();
        a.add(bytes("head-"));
        b.add(bytes(pattern(500)));
        int segs = b.segmentCount();
        a.addBuffer(b);
        assertThat(b.length()).isZero();
        assertThat(b.segmentCount()).isZero();
        assertThat(content(a)).isEqualTo("head-" + pattern(500));
        assertThat(a.segmentCount()).isEqualTo(segs + 1);
        a.addBuffer(a);
        assertThat(a.length()).isEqualTo(505);
    }

    @Test
    void addBufferOfFrozenSourceFrontFailsUnlessEmpty() {
        ChainEvbuffer a = small();
        ChainEvbuffer b = small();
        b.freeze(true);
        a.addBuffer(b); // empty source: no-op before the freeze check, as in libevent
        b.unfreeze(true);
        b.add(bytes("x"));
        b.freeze(true);
        assertThatThrownBy(() -> a.addBuffer(b)).isInstanceOf(IllegalStateException.class);
        assertThat(b.length()).isEqualTo(1);
        assertThat(a.length()).isZero();
    }

    @Test
    void removeBufferMovesWholeSegmentsAndCopiesTheRest() {
        ChainEvbuffer src = small();
        ChainEvbuffer dst = small();
        String s = pattern(300);
        src.add(bytes(s));
        dst.add(bytes("X"));
        assertThat(src.removeBuffer(dst, 150)).isEqualTo(150);
        assertThat(content(dst)).isEqualTo("X" + s.substring(0, 150));
        assertThat(content(src)).isEqualTo(s.substring(150));
        assertThat(src.removeBuffer(dst, 0)).isZero();
        assertThat(src.removeBuffer(dst, 10_000)).isEqualTo(150);
        assertThat(content(dst)).isEqualTo("X" + s);
        assertThat(src.length()).isZero();
    }

    @Test
    void pullupMakesFrontContiguous() {
        ChainEvbuffer b = small();
        String s = pattern(500);
        b.add(bytes(s));
        assertThat(b.pullup(0)).isNull();
        assertThat(b.pullup(501)).isNull();
        ByteBuffer v = b.pullup(200);
        assertThat(v.remaining()).isEqualTo(200);
        assertThat(v.isReadOnly()).isTrue();
        byte[] got = new byte[200];
        v.get(got);
        assertThat(new String(got, US_ASCII)).isEqualTo(s.substring(0, 200));
        assertThat(b.contiguousSpace()).isGreaterThanOrEqualTo(200);
        assertThat(content(b)).isEqualTo(s);
        ByteBuffer all = b.pullup(-1);
        assertThat(all.remaining()).isEqualTo(500);
        assertThat(b.segmentCount()).isEqualTo(1);
        assertThat(small().pullup(-1)).isNull();
    }

    @Test
    void prependUsesRoomBeforeDataAndNewSegments() {
        ChainEvbuffer b = small();
        b.add(bytes("world"));
        b.drain(2); // leaves room before the data
        b.prepend(bytes("hello "));
        assertThat(content(b)).isEqualTo("hello rld");
        b.prepend(bytes(pattern(200)));
        assertThat(content(b)).isEqualTo(pattern(200) + "hello rld");
        ChainEvbuffer e = small();
        e.prepend(bytes("abc"));
        e.add(bytes("def"));
        assertThat(content(e)).isEqualTo("abcdef");
    }

    @Test
    void prependBufferMovesSourceInFront() {
        ChainEvbuffer a = small();
        ChainEvbuffer b = small();
        a.add(bytes("tail"));
        b.add(bytes("head-"));
        a.prependBuffer(b);
        assertThat(content(a)).isEqualTo("head-tail");
        assertThat(b.length()).isZero();
        a.add(bytes("!"));
        assertThat(content(a)).isEqualTo("head-tail!");
    }

    /** regress_buffer.c test_evbuffer_readln, EOL_ANY part. */
    @Test
    void readlnAnySwallowsRunsOfCrLf() {
        ChainEvbuffer b = small();
        byte[] s = bytes("complex silly newline\r\n\n\r\n\n\rmore\0\n\0");
        b.add(s);
        assertThat(b.readLine(EolStyle.ANY)).isEqualTo("complex silly newline");
        EvbufferLine l = b.readln(EolStyle.ANY);
        assertThat(l.bytes()).containsExactly('m', 'o', 'r', 'e', 0);
        assertThat(l.terminatorLength()).isEqualTo(1);
        assertThat(b.length()).isEqualTo(1);
        b.drain(1);
        b.add(bytes("\nno newline"));
        assertThat(b.readLine(EolStyle.ANY)).isEmpty();
        assertThat(b.readln(EolStyle.ANY)).isNull();
        assertThat(b.length()).isEqualTo(10);
    }

    /** regress_buffer.c test_evbuffer_readln, CRLF / CRLF_STRICT / LF parts. */
    @Test
    void readlnCrlfStyles() {
        ChainEvbuffer b = small();
        b.add(bytes("Line with\rin the middle\nLine with good crlf\r\n\nfinal\n"));
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("Line with\rin the middle");
        EvbufferLine l = b.readln(EolStyle.CRLF);
        assertThat(l.asString()).isEqualTo("Line with good crlf");
        assertThat(l.terminatorLength()).isEqualTo(2);
        assertThat(b.readLine(EolStyle.CRLF)).isEmpty();
        assertThat(b.readLine(EolStyle.CRLF)).isEqualTo("final");
        b.add(bytes("x"));
        assertThat(b.readln(EolStyle.CRLF)).isNull();

        b.add(bytes(" and a bad crlf\nand a good one\r\n\r\nMore\r"));
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isEqualTo("x and a bad crlf\nand a good one");
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isEmpty();
        assertThat(b.readln(EolStyle.CRLF_STRICT)).isNull();
        b.add(bytes("\n"));
        assertThat(b.readLine(EolStyle.CRLF_STRICT)).isEqualTo("More");
        assertThat(b.length()).isZero();

        b.add(bytes("a\r\nb\n"));
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("a\r");
        assertThat(b.readLine(EolStyle.LF)).isEqualTo("b");
        b.add(new byte[] {'z', 0, 'y'});
        assertThat(b.readLine(EolStyle.NUL)).isEqualTo("z");
        assertThat(b.length()).isEqualTo(1);
    }

    @Test
    void readlnFindsTerminatorSplitAcrossSegments() {
        ChainEvbuffer b = small();
        String line = pattern(63);
        b.add(bytes(line + "\r"));
        b.add(bytes("\nrest"));
        assertThat(b.segmentCount()).isEqualTo(2);
        EvbufferLine l = b.readln(EolStyle.CRLF_STRICT);
        assertThat(l.asString()).isEqualTo(line);
        assertThat(l.terminatorLength()).isEqualTo(2);
        assertThat(content(b)).isEqualTo("rest");
    }

    /** regress_buffer.c test_evbuffer_search_eol. */
    @Test
    void searchEolFromPositions() {
        ChainEvbuffer b = small();
        b.add(bytes("string! \r\n\r\nx\n"));
        int[] eol = {-1};
        EvbufferPtr p1 = b.searchEol(null, eol, EolStyle.CRLF);
        assertThat(p1.position()).isEqualTo(8);
        assertThat(eol[0]).isEqualTo(2);
        assertThat(b.searchEol(p1, eol, EolStyle.CRLF).position()).isEqualTo(8);
        p1 = b.ptrSet(p1, 1, PtrHow.ADD);
        assertThat(b.searchEol(p1, eol, EolStyle.CRLF).position()).isEqualTo(9);
        assertThat(eol[0]).isEqualTo(1);
        assertThat(b.searchEol(p1, eol, EolStyle.CRLF_STRICT).position()).isEqualTo(10);
        assertThat(eol[0]).isEqualTo(2);
        p1 = b.searchEol(null, eol, EolStyle.LF);
        assertThat(p1.position()).isEqualTo(9);
        p1 = b.ptrSet(p1, 1, PtrHow.ADD);
        assertThat(b.searchEol(p1, eol, EolStyle.LF).position()).isEqualTo(11);
        EvbufferPtr end = b.ptrSet(null, b.length(), PtrHow.SET);
        assertThat(end).isNotNull();
        assertThat(b.searchEol(end, eol, EolStyle.LF).found()).isFalse();
        assertThat(eol[0]).isZero();
    }

    @Test
    void ptrSetAllowsTheEndButNotBeyond() {
        ChainEvbuffer b = small();
        b.add(bytes("abcdef"));
        assertThat(b.ptrSet(null, 6, PtrHow.SET).position()).isEqualTo(6);
        assertThat(b.ptrSet(null, 7, PtrHow.SET)).isNull();
        EvbufferPtr p = b.ptrSet(null, 4, PtrHow.SET);
        assertThat(b.ptrSet(p, 2, PtrHow.ADD).position()).isEqualTo(6);
        assertThat(b.ptrSet(p, 3, PtrHow.ADD)).isNull();
        assertThatThrownBy(() -> b.ptrSet(null, -1, PtrHow.SET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset").hasMessageContaining("-1");
    }

    /** regress_buffer.c test_evbuffer_search, in spirit: matches spanning segments, ranges. */
    @Test
    void searchFindsMatchesAcrossSegmentsAndHonoursRange() {
        ChainEvbuffer b = small();
        b.add(bytes(pattern(60) + "needle" + pattern(60) + "needle"));
        assertThat(b.segmentCount()).isGreaterThan(1);
        EvbufferPtr p = b.search(bytes("needle"), null);
        assertThat(p.position()).isEqualTo(60);
        EvbufferPtr next = b.search(bytes("needle"), b.ptrSet(p, 1, PtrHow.ADD));
        assertThat(next.position()).isEqualTo(126);
        assertThat(b.search(bytes("nope"), null).found()).isFalse();
        // libevent 2.1 (evbuffer_search_range): an empty pattern is found where the search starts.
        assertThat(b.search(new byte[0], null).position()).isZero();
        assertThat(b.search(new byte[0], new EvbufferPtr(7)).position()).isEqualTo(7);
        assertThat(b.searchRange(bytes("needle"), null, new EvbufferPtr(65)).found()).isFalse();
        assertThat(b.searchRange(bytes("needle"), null, new EvbufferPtr(66)).position()).isEqualTo(60);
        assertThat(b.search(bytes("a"), new EvbufferPtr(b.length())).found()).isFalse();
    }

    @Test
    void peekReturnsSegmentViewsWithoutCopying() {
        ChainEvbuffer b = small();
        b.add(bytes(pattern(200))); // segments of 64: 64,64,64,8
        assertThat(b.peekCount(-1, null)).isEqualTo(4);
        assertThat(b.peekCount(64, null)).isEqualTo(1);
        assertThat(b.peekCount(65, null)).isEqualTo(2);
        assertThat(b.peekCount(0, null)).isZero();
        ByteBuffer[] v = b.peek(65, null, 10);
        assertThat(v).hasSize(2);
        assertThat(v[0].remaining()).isEqualTo(64);
        assertThat(v[1].remaining()).isEqualTo(64); // the last vector is not trimmed
        assertThat(v[0].isReadOnly()).isTrue();
        assertThat(b.peek(-1, null, 2)).hasSize(2);
        EvbufferPtr at = new EvbufferPtr(70);
        ByteBuffer[] w = b.peek(10, at, 4);
        assertThat(w).hasSize(1);
        assertThat(w[0].remaining()).isEqualTo(58);
        assertThat((char) w[0].get(0)).isEqualTo(pattern(200).charAt(70));
        assertThat(b.peekCount(0, at)).isEqualTo(1);
        assertThat(b.peekCount(-1, new EvbufferPtr(200))).isZero();
    }

    @Test
    void reserveAndCommitAddOnlyWhatWasWritten() {
        ChainEvbuffer b = small();
        b.add(bytes("ab"));
        ByteBuffer[] v = b.reserveSpace(10, 1);
        assertThat(v).hasSize(1);
        assertThat(v[0].remaining()).isGreaterThanOrEqualTo(10);
        assertThat(b.length()).isEqualTo(2);
        v[0].put(bytes("cdef"));
        assertThat(b.commitSpace(v)).isEqualTo(4);
        assertThat(content(b)).isEqualTo("abcdef");
        assertThatThrownBy(() -> b.commitSpace(v)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reserveManyVectorsSpansSegments() {
        ChainEvbuffer b = small();
        b.add(bytes("x"));
        ByteBuffer[] v = b.reserveSpace(200, 5);
        long space = 0;
        for (ByteBuffer x : v) {
            space += x.remaining();
        }
        assertThat(space).isGreaterThanOrEqualTo(200);
        assertThat(v.length).isBetween(2, 5);
        byte[] s = bytes(pattern(200));
        int off = 0;
        for (ByteBuffer x : v) {
            int k = Math.min(x.remaining(), s.length - off);
            x.put(s, off, k);
            off += k;
        }
        assertThat(b.commitSpace(v)).isEqualTo(200);
        assertThat(content(b)).isEqualTo("x" + pattern(200));
    }

    @Test
    void reservationSurvivesDrainButNotAdd() {
        ChainEvbuffer b = small();
        b.add(bytes("abc"));
        ByteBuffer[] v = b.reserveSpace(5, 1);
        b.drain(3); // empties the reserved segment
        v[0].put(bytes("de"));
        assertThat(b.commitSpace(v)).isEqualTo(2);
        assertThat(content(b)).isEqualTo("de");
        ByteBuffer[] w = b.reserveSpace(5, 1);
        b.add(bytes("f"));
        assertThatThrownBy(() -> b.commitSpace(w)).isInstanceOf(IllegalArgumentException.class);
        assertThat(content(b)).isEqualTo("def");
    }

    @Test
    void expandNeedsNoSegmentForNextAdds() {
        ChainEvbuffer b = small();
        b.expand(1000);
        assertThat(b.length()).isZero();
        b.add(bytes(pattern(1000)));
        assertThat(b.segmentCount()).isEqualTo(1);
        assertThatThrownBy(() -> b.expand(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> b.expand(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    /** regress_buffer.c test_evbuffer_freeze, "end" half. */
    @Test
    void frozenEndRejectsAppendsAndChangesNothing() {
        ChainEvbuffer b = small();
        ChainEvbuffer other = small();
        other.add(bytes("xyz"));
        b.add(bytes("data"));
        b.freeze(false);
        assertThat(b.isFrozen(false)).isTrue();
        assertThatThrownBy(() -> b.add(bytes(""))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.add(bytes("abc"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.reserveSpace(10, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addReference(ByteBuffer.wrap(bytes("ref")), null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addPrintf("Hello %s", "world")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addBuffer(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.removeBuffer(b, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(content(b)).isEqualTo("data");
        assertThat(other.length()).isEqualTo(3);
        // the front still works
        b.drain(1);
        b.prepend(bytes("D"));
        assertThat(b.readln(EolStyle.LF)).isNull();
        assertThat(content(b)).isEqualTo("Data");
        b.unfreeze(false);
        b.add(bytes("!"));
        assertThat(content(b)).isEqualTo("Data!");
    }

    /** regress_buffer.c test_evbuffer_freeze, "start" half. */
    @Test
    void frozenFrontRejectsRemovalsAndChangesNothing() {
        ChainEvbuffer b = small();
        ChainEvbuffer other = small();
        other.add(bytes("xyz"));
        b.add(bytes("line\nmore"));
        b.freeze(true);
        byte[] out = new byte[4];
        assertThatThrownBy(() -> b.remove(out, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.drain(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.prepend(bytes("dummy"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.readln(EolStyle.LF)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.removeBuffer(other, 3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.prependBuffer(other)).isInstanceOf(IllegalStateException.class);
        assertThat(content(b.isFrozen(true) ? unfrozenCopy(b) : b)).isEqualTo("line\nmore");
        assertThat(other.length()).isEqualTo(3);
        // the end still works
        b.add(bytes("!"));
        b.addBuffer(other);
        assertThat(b.length()).isEqualTo(13);
    }

    private ChainEvbuffer unfrozenCopy(ChainEvbuffer b) {
        b.unfreeze(true);
        ChainEvbuffer c = small();
        c.addBufferReference(b);
        b.freeze(true);
        return c;
    }

    @Test
    void badArgumentsNameTheArgumentAndChangeNothing() {
        ChainEvbuffer b = small();
        b.add(bytes("abc"));
        assertThatThrownBy(() -> b.add(bytes("xyz"), 2, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("off 2").hasMessageContaining("len 5");
        assertThatThrownBy(() -> b.add((byte[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.drain(-3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
        assertThatThrownBy(() -> b.reserveSpace(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxVecs");
        assertThatThrownBy(() -> b.removeBuffer(small(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.search(bytes("a"), new EvbufferPtr(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start");
        assertThat(content(b)).isEqualTo("abc");
    }

    /** regress_buffer.c test_evbuffer_callbacks, in spirit: one call per change, exact counts. */
    @Test
    void callbacksSeeEachChangeWithCounts() {
        ChainEvbuffer b = small();
        List<EvbufferCbInfo> seen = new ArrayList<>();
        Evbuffer.CallbackEntry e = b.addCallback((buf, info) -> seen.add(info));
        b.add(bytes("abcdef"));
        b.drain(2);
        b.pullup(-1);
        b.copyOut(new byte[2], 0, 2);
        b.drain(0);
        e.setEnabled(false);
        b.add(bytes("xx"));
        e.setEnabled(true);
        b.add(bytes("y"));
        assertThat(seen).containsExactly(
                new EvbufferCbInfo(0, 6, 0),
                new EvbufferCbInfo(6, 0, 2),
                new EvbufferCbInfo(6, 1, 0));
        assertThat(e.remove()).isTrue();
        assertThat(e.remove()).isFalse();
        b.add(bytes("z"));
        assertThat(seen).hasSize(3);
    }

    @Test
    void callbacksRunNewestFirstAndMayRemoveThemselves() {
        ChainEvbuffer b = small();
        List<String> order = new ArrayList<>();
        Evbuffer.CallbackEntry[] first = new Evbuffer.CallbackEntry[1];
        first[0] = b.addCallback((buf, info) -> {
            order.add("first");
            first[0].remove();
        });
        b.addCallback((buf, info) -> order.add("second"));
        b.add(bytes("a"));
        b.add(bytes("b"));
        assertThat(order).containsExactly("second", "first", "second");
    }

    @Test
    void addBufferRunsSourceThenDestinationCallbacks() {
        ChainEvbuffer a = small();
        ChainEvbuffer b = small();
        List<String> seen = new ArrayList<>();
        a.addCallback((buf, info) -> seen.add("dst " + info));
        b.addCallback((buf, info) -> seen.add("src " + info));
        b.add(bytes("abc"));
        seen.clear();
        a.addBuffer(b);
        assertThat(seen).containsExactly("src " + new EvbufferCbInfo(3, 0, 3), "dst " + new EvbufferCbInfo(0, 3, 0));
    }

    @Test
    void throwingCallbackDoesNotBreakTheBuffer() {
        ChainEvbuffer b = small();
        int[] calls = {0};
        b.addCallback((buf, info) -> {
            calls[0]++;
            throw new IllegalStateException("boom");
        });
        b.add(bytes("abc"));
        b.drain(1);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(content(b)).isEqualTo("bc");
    }

    @Test
    void observerSeesEveryChangeEvenWithoutCallbacks() {
        ChainEvbuffer b = small();
        long[] sums = new long[2];
        b.setObserver((buf, added, deleted) -> {
            assertThat(buf.lockHandle().isHeldByCurrentThread()).isTrue();
            sums[0] += added;
            sums[1] += deleted;
        });
        b.add(bytes("abcdef"));
        b.readln(EolStyle.LF);
        b.add(bytes("\n"));
        b.readln(EolStyle.LF);
        assertThat(sums).containsExactly(7, 7);
    }

    @Test
    void sharedLockIsUsedByBothBuffers() {
        ReentrantLock lock = new ReentrantLock();
        ChainEvbuffer in = new ChainEvbuffer(lock);
        ChainEvbuffer out = new ChainEvbuffer(lock);
        made.add(in);
        made.add(out);
        in.lock();
        try {
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            in.add(bytes("echo"));
            out.addBuffer(in);
        } finally {
            in.unlock();
        }
        assertThat(lock.isLocked()).isFalse();
        assertThat(content(out)).isEqualTo("echo");
    }

    @Test
    void freedBufferReleasesSegmentsWithoutCallbacks() {
        ChainEvbuffer b = new ChainEvbuffer(new ReentrantLock(), SMALL);
        int[] calls = {0};
        b.addCallback((buf, info) -> calls[0]++);
        b.add(bytes(pattern(300)));
        b.free();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(b.length()).isZero();
        b.free();
    }

    @Test
    void deferredCallbacksAccumulateUntilTheBaseRunsThem() {
        ChainEvbuffer b = small();
        FakeScheduler sched = new FakeScheduler();
        b.deferCallbacks(sched);
        List<EvbufferCbInfo> seen = new ArrayList<>();
        b.addCallback((buf, info) -> seen.add(info));
        b.add(bytes("abcdef"));
        b.drain(2);
        b.add(bytes("g"));
        assertThat(seen).isEmpty();
        assertThat(sched.deferred).hasSize(1);
        assertThat(sched.runDeferred()).isEqualTo(1);
        assertThat(seen).containsExactly(new EvbufferCbInfo(0, 7, 2));
        b.addCallback((buf, info) -> {
            throw new IllegalStateException("deferred boom");
        });
        b.drain(1);
        sched.runDeferred();
        assertThat(seen).hasSize(2);
        assertThat(sched.errors).singleElement().extracting(Throwable::getMessage).isEqualTo("deferred boom");
    }
}
