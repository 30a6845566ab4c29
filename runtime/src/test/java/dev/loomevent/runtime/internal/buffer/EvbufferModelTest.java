package dev.loomevent.runtime.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomevent.api.EolStyle;
import dev.loomevent.api.EvbufferLine;
import dev.loomevent.api.EvbufferPtr;
import dev.loomevent.api.PtrHow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based property test: random operation sequences run against two {@link ChainEvbuffer}s
 * and against two trivially correct models (byte arrays); after every step the content, length
 * and return value must agree. Tiny segments (8 to 64 bytes) and an alphabet rich in CR, LF and
 * NUL put searches, readln and pullup across segment borders all the time.
 * <p>Seeds: {@code -Dloomevent.modelSeed=N} replays one sequence; a failure prints its seed and
 * the operations that led to it.
 */
class EvbufferModelTest {
    private static final int SEQUENCES = Integer.getInteger("loomevent.modelSequences", 200);
    private static final int STEPS = 250;
    private static final byte[] ALPHABET = {'a', 'b', 'c', '\r', '\n', 0, 'x'};

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> randomSequencesAgreeWithTheModel() {
        Long fixed = Long.getLong("loomevent.modelSeed");
        long base = fixed != null ? fixed : new Random().nextLong();
        int count = fixed != null ? 1 : SEQUENCES;
        return IntStream.range(0, count).mapToObj(i -> {
            long seed = base + i;
            return DynamicTest.dynamicTest("seed " + seed, () -> new Run(seed).run());
        });
    }

    /** The model: a growable byte array with the buffer's front at index 0. */
    static final class Model {
        byte[] a = new byte[0];
        boolean frozenFront;
        boolean frozenEnd;

        int len() {
            return a.length;
        }

        void add(byte[] b) {
            byte[] n = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, n, a.length, b.length);
            a = n;
        }

        void prepend(byte[] b) {
            byte[] n = new byte[a.length + b.length];
            System.arraycopy(b, 0, n, 0, b.length);
            System.arraycopy(a, 0, n, b.length, a.length);
            a = n;
        }

        byte[] take(int n) {
            byte[] out = Arrays.copyOf(a, n);
            a = Arrays.copyOfRange(a, n, a.length);
            return out;
        }

        byte[] slice(int from, int to) {
            return Arrays.copyOfRange(a, from, to);
        }

        int indexOf(byte[] what, int from, int to) {
            if (what.length == 0) {
                return from; // libevent's evbuffer_search_range: found where the search starts
            }
            for (int i = from; i + what.length <= to; i++) {
                if (Arrays.equals(a, i, i + what.length, what, 0, what.length)) {
                    return i;
                }
            }
            return -1;
        }

        /** libevent's search_eol on the model: {position, eol length} or {-1, 0}. */
        int[] eol(int from, EolStyle style) {
            int n = a.length;
            switch (style) {
                case LF:
                case NUL: {
                    byte t = style == EolStyle.LF ? (byte) '\n' : 0;
                    for (int i = from; i < n; i++) {
                        if (a[i] == t) {
                            return new int[] {i, 1};
                        }
                    }
                    return new int[] {-1, 0};
                }
                case CRLF_STRICT: {
                    int i = indexOf(new byte[] {'\r', '\n'}, from, n);
                    return i < 0 ? new int[] {-1, 0} : new int[] {i, 2};
                }
                case CRLF: {
                    for (int i = from; i < n; i++) {
                        if (a[i] == '\n') {
                            if (i > from && a[i - 1] == '\r') {
                                return new int[] {i - 1, 2};
                            }
                            return new int[] {i, 1};
                        }
                    }
                    return new int[] {-1, 0};
                }
                default: {
                    for (int i = from; i < n; i++) {
                        if (a[i] == '\r' || a[i] == '\n') {
                            int j = i;
                            while (j < n && (a[j] == '\r' || a[j] == '\n')) {
                                j++;
                            }
                            return new int[] {i, j - i};
                        }
                    }
                    return new int[] {-1, 0};
                }
            }
        }
    }

    final class Run {
        final long seed;
        final Random r;
        final List<String> log = new ArrayList<>();
        final ChainEvbuffer[] bufs = new ChainEvbuffer[2];
        final Model[] models = {new Model(), new Model()};
        final AtomicInteger cleanupsExpected = new AtomicInteger();
        final AtomicInteger cleanupsRun = new AtomicInteger();
        int fileNo;

        Run(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
            SegmentPool pool = new SegmentPool(r.nextBoolean(), 64, 8);
            int segSize = 8 + r.nextInt(57);
            SegmentPool tiny = new SegmentPool(r.nextBoolean(), segSize, 8);
            ReentrantLock shared = r.nextInt(4) == 0 ? new ReentrantLock() : null;
            bufs[0] = new ChainEvbuffer(shared != null ? shared : new ReentrantLock(), r.nextBoolean() ? pool : tiny);
            bufs[1] = new ChainEvbuffer(shared != null ? shared : new ReentrantLock(), r.nextBoolean() ? pool : tiny);
            for (int i = 0; i < 2; i++) {
                int k = i;
                bufs[i].addCallback((b, info) -> {
                    // Each change is reported at once: it starts where the last report ended and
                    // ends at the current length. Failures are collected: a callback's throw is
                    // reported by the buffer, not propagated.
                    if (info.origSize() != reported[k]) {
                        callbackErrors.add("buffer " + k + ": origSize " + info.origSize() + ", last reported length " + reported[k]);
                    }
                    if (info.nAdded() + info.nDeleted() == 0) {
                        callbackErrors.add("buffer " + k + ": empty report " + info);
                    }
                    reported[k] = info.origSize() + info.nAdded() - info.nDeleted();
                    if (reported[k] != b.length()) {
                        callbackErrors.add("buffer " + k + ": " + info + " does not end at length " + b.length());
                    }
                });
            }
        }

        final long[] reported = new long[2];
        final List<String> callbackErrors = new ArrayList<>();

        void run() {
            try {
                for (int i = 0; i < STEPS; i++) {
                    step();
                    check(0);
                    check(1);
                }
                bufs[0].free();
                bufs[1].free();
                assertThat(cleanupsRun.get()).as("reference cleanups run").isEqualTo(cleanupsExpected.get());
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (replay: -Dloomevent.modelSeed=" + seed + ")\n  "
                        + String.join("\n  ", log.subList(Math.max(0, log.size() - 40), log.size())), t);
            }
        }

        void check(int i) {
            Model m = models[i];
            ChainEvbuffer b = bufs[i];
            assertThat(b.length()).as("length of buffer " + i).isEqualTo(m.len());
            assertThat(callbackErrors).as("change callbacks").isEmpty();
            assertThat(reported[i]).as("length after the last change callback of buffer " + i).isEqualTo(m.len());
            boolean ff = b.isFrozen(true);
            if (ff) {
                b.unfreeze(true);
            }
            byte[] out = new byte[m.len()];
            assertThat(b.copyOut(out, 0, out.length)).isEqualTo(m.len());
            if (ff) {
                b.freeze(true);
            }
            assertThat(out).as("content of buffer " + i).isEqualTo(m.a);
            if (m.len() == 0) {
                assertThat(b.segmentCount()).as("segments of empty buffer " + i).isZero();
            }
        }

        byte[] randomBytes(int max) {
            int n = r.nextInt(max + 1);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
            }
            return b;
        }

        int randomLen(int i) {
            int len = models[i].len();
            return switch (r.nextInt(4)) {
                case 0 -> r.nextInt(len + 1);
                case 1 -> r.nextInt(Math.max(1, Math.min(len + 1, 20)));
                case 2 -> len;
                default -> len + r.nextInt(10);
            };
        }

        /** Runs {@code action}; expects IllegalStateException when {@code frozen}, else applies {@code model}. */
        void frozenOr(boolean frozen, Runnable action, Runnable model) {
            if (frozen) {
                assertThatThrownBy(action::run).isInstanceOf(IllegalStateException.class);
            } else {
                action.run();
                model.run();
            }
        }

        <T> T expectFrozenOr(boolean frozen, Supplier<T> action) {
            if (frozen) {
                assertThatThrownBy(action::get).isInstanceOf(IllegalStateException.class);
                return null;
            }
            return action.get();
        }

        void step() {
            int i = r.nextInt(2);
            int o = 1 - i;
            ChainEvbuffer b = bufs[i];
            ChainEvbuffer other = bufs[o];
            Model m = models[i];
            Model om = models[o];
            int op = r.nextInt(30);
            switch (op) {
                case 0, 1, 2 -> {
                    byte[] d = randomBytes(r.nextInt(3) == 0 ? 300 : 40);
                    log.add(i + ".add(" + d.length + ")");
                    frozenOr(m.frozenEnd, () -> b.add(d), () -> m.add(d));
                }
                case 3 -> {
                    byte[] d = randomBytes(100);
                    boolean direct = r.nextBoolean();
                    ByteBuffer src = direct ? ByteBuffer.allocateDirect(d.length) : ByteBuffer.allocate(d.length);
                    src.put(d).flip();
                    log.add(i + ".add(ByteBuffer " + d.length + (direct ? " direct)" : ")"));
                    frozenOr(m.frozenEnd, () -> b.add(src), () -> m.add(d));
                }
                case 4 -> {
                    byte[] d1 = randomBytes(30);
                    byte[] d2 = randomBytes(30);
                    log.add(i + ".addAll(" + d1.length + ", " + d2.length + ")");
                    Long n = expectFrozenOr(m.frozenEnd, () -> b.addAll(ByteBuffer.wrap(d1), ByteBuffer.wrap(d2)));
                    if (n != null) {
                        assertThat(n).isEqualTo(d1.length + d2.length);
                        m.add(d1);
                        m.add(d2);
                    }
                }
                case 5 -> {
                    int k = r.nextInt(1000);
                    log.add(i + ".addPrintf(%d, " + k + ")");
                    Integer n = expectFrozenOr(m.frozenEnd, () -> b.addPrintf("<%d>", k));
                    if (n != null) {
                        byte[] d = ("<" + k + ">").getBytes();
                        assertThat(n).isEqualTo(d.length);
                        m.add(d);
                    }
                }
                case 6 -> {
                    byte[] d = randomBytes(50);
                    log.add(i + ".addReference(" + d.length + ")");
                    ByteBuffer ref = r.nextBoolean() ? ByteBuffer.wrap(d).asReadOnlyBuffer() : ByteBuffer.wrap(d);
                    if (m.frozenEnd) {
                        assertThatThrownBy(() -> b.addReference(ref, x -> cleanupsRun.incrementAndGet()))
                                .isInstanceOf(IllegalStateException.class);
                    } else {
                        cleanupsExpected.incrementAndGet();
                        b.addReference(ref, x -> {
                            assertThat(x).isSameAs(ref);
                            cleanupsRun.incrementAndGet();
                        });
                        m.add(d);
                    }
                }
                case 7 -> {
                    byte[] d = randomBytes(60);
                    int off = d.length == 0 ? 0 : r.nextInt(d.length);
                    int len = d.length - off - (d.length - off == 0 ? 0 : r.nextInt(d.length - off));
                    log.add(i + ".addFile(" + d.length + ", " + off + ", " + len + ")");
                    FileChannel ch = file(d);
                    if (m.frozenEnd) {
                        assertThatThrownBy(() -> b.addFile(ch, off, len)).isInstanceOf(IllegalStateException.class);
                        closeQuietly(ch);
                    } else {
                        b.addFile(ch, off, len);
                        m.add(Arrays.copyOfRange(d, off, off + len));
                    }
                }
                case 8, 9 -> {
                    byte[] d = randomBytes(r.nextInt(3) == 0 ? 150 : 20);
                    log.add(i + ".prepend(" + d.length + ")");
                    frozenOr(m.frozenFront && d.length > 0, () -> b.prepend(d), () -> m.prepend(d));
                }
                case 10, 11 -> {
                    int n = randomLen(i);
                    log.add(i + ".drain(" + n + ")");
                    frozenOr(m.frozenFront && m.len() > 0, () -> b.drain(n), () -> m.take(Math.min(n, m.len())));
                }
                case 12 -> {
                    int n = randomLen(i);
                    log.add(i + ".remove(" + n + ")");
                    byte[] out = new byte[n + 3];
                    int want = Math.min(n, m.len());
                    Integer got = expectFrozenOr(m.frozenFront && want > 0, () -> b.remove(out, 3, n));
                    if (got != null) {
                        assertThat(got).isEqualTo(want);
                        assertThat(Arrays.copyOfRange(out, 3, 3 + want)).isEqualTo(m.take(want));
                    }
                }
                case 13 -> {
                    int len = m.len();
                    int p = r.nextInt(len + 1);
                    int n = r.nextInt(40);
                    log.add(i + ".copyOutFrom(" + p + ", " + n + ")");
                    byte[] out = new byte[n];
                    int want = Math.min(n, len - p);
                    Integer got = expectFrozenOr(m.frozenFront && want > 0, () -> b.copyOutFrom(new EvbufferPtr(p), out, 0, n));
                    if (got != null) {
                        assertThat(got).isEqualTo(want);
                        assertThat(Arrays.copyOf(out, want)).isEqualTo(m.slice(p, p + want));
                    }
                }
                case 14 -> {
                    long n = randomLen(i);
                    log.add(i + ".removeBuffer(" + o + ", " + n + ")");
                    boolean fail = n > 0 && (om.frozenEnd || m.frozenFront);
                    Long got = expectFrozenOr(fail, () -> b.removeBuffer(other, n));
                    if (got != null) {
                        int want = (int) Math.min(n, m.len());
                        assertThat(got).isEqualTo(want);
                        om.add(m.take(want));
                    }
                }
                case 15 -> {
                    log.add(i + ".addBuffer(" + o + ")");
                    boolean fail = om.len() > 0 && (m.frozenEnd || om.frozenFront);
                    frozenOr(fail, () -> b.addBuffer(other), () -> m.add(om.take(om.len())));
                }
                case 16 -> {
                    log.add(i + ".prependBuffer(" + o + ")");
                    boolean fail = om.len() > 0 && (m.frozenFront || om.frozenFront);
                    frozenOr(fail, () -> b.prependBuffer(other), () -> m.prepend(om.take(om.len())));
                }
                case 17 -> {
                    log.add(i + ".addBufferReference(" + o + ")");
                    boolean fail = om.len() > 0 && m.frozenEnd;
                    if (fail) {
                        assertThatThrownBy(() -> b.addBufferReference(other)).isInstanceOf(IllegalStateException.class);
                    } else {
                        try {
                            b.addBufferReference(other);
                            m.add(om.a.clone());
                        } catch (IllegalArgumentException e) {
                            log.add("  (refused: " + e.getMessage() + ")");
                        }
                    }
                }
                case 18, 19 -> {
                    long size = r.nextInt(5) == 0 ? -1 : r.nextInt(m.len() + 3);
                    log.add(i + ".pullup(" + size + ")");
                    ByteBuffer v = b.pullup(size);
                    long want = size < 0 ? m.len() : size;
                    if (want == 0 || want > m.len()) {
                        assertThat(v).isNull();
                    } else {
                        byte[] got = new byte[v.remaining()];
                        v.get(got);
                        assertThat(got).isEqualTo(m.slice(0, (int) want));
                        assertThat(b.contiguousSpace()).isGreaterThanOrEqualTo(want);
                    }
                }
                case 20, 21 -> {
                    EolStyle style = EolStyle.values()[r.nextInt(EolStyle.values().length)];
                    log.add(i + ".readln(" + style + ")");
                    EvbufferLine line = expectFrozenOr(m.frozenFront, () -> b.readln(style));
                    if (!m.frozenFront) {
                        int[] e = m.eol(0, style);
                        if (e[0] < 0) {
                            assertThat(line).isNull();
                        } else {
                            assertThat(line).isNotNull();
                            assertThat(line.bytes()).isEqualTo(m.slice(0, e[0]));
                            assertThat(line.terminatorLength()).isEqualTo(e[1]);
                            m.take(e[0] + e[1]);
                        }
                    }
                }
                case 22 -> {
                    EolStyle style = EolStyle.values()[r.nextInt(EolStyle.values().length)];
                    int from = r.nextInt(m.len() + 1);
                    log.add(i + ".searchEol(" + from + ", " + style + ")");
                    int[] eolLen = {-7};
                    EvbufferPtr p = b.searchEol(new EvbufferPtr(from), eolLen, style);
                    int[] e = m.eol(from, style);
                    assertThat(p.position()).isEqualTo(e[0]);
                    assertThat(eolLen[0]).isEqualTo(e[1]);
                }
                case 23, 24 -> {
                    byte[] what;
                    if (m.len() > 0 && r.nextBoolean()) {
                        int a = r.nextInt(m.len());
                        what = m.slice(a, Math.min(m.len(), a + 1 + r.nextInt(6)));
                    } else {
                        what = randomBytes(3);
                    }
                    int from = r.nextInt(m.len() + 1);
                    int to = from + r.nextInt(m.len() - from + 1);
                    boolean ranged = r.nextBoolean();
                    log.add(i + ".search(" + Arrays.toString(what) + ", " + from + (ranged ? ", " + to : "") + ")");
                    EvbufferPtr p = ranged
                            ? b.searchRange(what, new EvbufferPtr(from), new EvbufferPtr(to))
                            : b.search(what, r.nextBoolean() && from == 0 ? null : new EvbufferPtr(from));
                    assertThat(p.position()).isEqualTo(m.indexOf(what, from, ranged ? to : m.len()));
                }
                case 25 -> {
                    int from = r.nextInt(m.len() + 1);
                    long len = r.nextInt(4) == 0 ? -1 : r.nextInt(m.len() + 2);
                    int maxVecs = r.nextInt(6);
                    EvbufferPtr start = from == 0 && r.nextBoolean() ? null : new EvbufferPtr(from);
                    log.add(i + ".peek(" + len + ", " + from + ", " + maxVecs + ")");
                    int needed = b.peekCount(len, start);
                    ByteBuffer[] v = b.peek(len, start, maxVecs);
                    assertThat(v.length).isEqualTo(Math.min(needed, maxVecs));
                    int at = from;
                    for (ByteBuffer x : v) {
                        byte[] got = new byte[x.remaining()];
                        x.get(got);
                        assertThat(got).isEqualTo(m.slice(at, at + got.length));
                        at += got.length;
                    }
                    if (v.length == needed) {
                        long want = len < 0 ? m.len() - from : Math.min(len, m.len() - from);
                        assertThat((long) (at - from)).isGreaterThanOrEqualTo(want);
                    }
                }
                case 26 -> {
                    int size = r.nextInt(r.nextBoolean() ? 20 : 200);
                    int maxVecs = 1 + r.nextInt(4);
                    log.add(i + ".reserve(" + size + ", " + maxVecs + ")+commit");
                    ByteBuffer[] v = expectFrozenOr(m.frozenEnd, () -> b.reserveSpace(size, maxVecs));
                    if (v != null) {
                        assertThat(v.length).isBetween(1, maxVecs);
                        long space = Arrays.stream(v).mapToLong(ByteBuffer::remaining).sum();
                        assertThat(space).isGreaterThanOrEqualTo(size);
                        if (maxVecs == 1) {
                            assertThat(v[0].remaining()).isGreaterThanOrEqualTo(size);
                        }
                        // fill the first vectors fully, the last one partly; commit a prefix
                        byte[] d = randomBytes(size);
                        int off = 0;
                        int used = 0;
                        for (ByteBuffer x : v) {
                            if (off == d.length) {
                                break;
                            }
                            int k = Math.min(x.remaining(), d.length - off);
                            x.put(d, off, k);
                            off += k;
                            used++;
                        }
                        ByteBuffer[] commit = Arrays.copyOf(v, Math.max(used, r.nextBoolean() ? used : v.length));
                        if (r.nextInt(6) == 0) {
                            log.add("  (cancelled by drain + add)");
                            if (m.len() > 0 && !m.frozenFront) {
                                b.drain(1);
                                m.take(1);
                            }
                            b.add(new byte[] {'z'});
                            m.add(new byte[] {'z'});
                            if (commit.length > 0) {
                                assertThatThrownBy(() -> b.commitSpace(commit)).isInstanceOf(IllegalArgumentException.class);
                            } else {
                                assertThat(b.commitSpace(commit)).isZero();
                            }
                        } else {
                            int between = r.nextInt(6);
                            if (between == 0 && m.len() > 0 && !m.frozenFront) {
                                int n = r.nextInt(m.len() + 1);
                                log.add("  (drain " + n + " before commit)");
                                b.drain(n);
                                m.take(n);
                            } else if (between == 1 && m.len() > 0) {
                                log.add("  (pullup all before commit)");
                                b.pullup(-1);
                            } else if (between == 2 && m.len() > 0 && !m.frozenFront && !om.frozenEnd) {
                                log.add("  (" + o + ".addBuffer(" + i + ") before commit)");
                                other.addBuffer(b);
                                om.add(m.take(m.len()));
                            } else if (between == 3 && m.len() > 0 && !m.frozenFront && !om.frozenFront) {
                                log.add("  (" + o + ".prependBuffer(" + i + ") before commit)");
                                other.prependBuffer(b);
                                om.prepend(m.take(m.len()));
                            } else if (between == 4 && m.len() > 0 && !m.frozenFront && !om.frozenEnd) {
                                int n = r.nextInt(m.len() + 1);
                                log.add("  (removeBuffer " + n + " before commit)");
                                if (n > 0) {
                                    b.removeBuffer(other, n);
                                    om.add(m.take(n));
                                }
                            }
                            assertThat(b.commitSpace(commit)).isEqualTo(d.length);
                            m.add(d);
                        }
                    }
                }
                case 27 -> {
                    int n = r.nextInt(300);
                    log.add(i + ".expand(" + n + ")");
                    b.expand(n);
                }
                case 28 -> {
                    boolean front = r.nextBoolean();
                    boolean on = r.nextInt(3) != 0 && !(front ? m.frozenFront : m.frozenEnd);
                    log.add(i + (on ? ".freeze(" : ".unfreeze(") + (front ? "front)" : "end)"));
                    if (on) {
                        b.freeze(front);
                    } else {
                        b.unfreeze(front);
                    }
                    if (front) {
                        m.frozenFront = on;
                    } else {
                        m.frozenEnd = on;
                    }
                    assertThat(b.isFrozen(front)).isEqualTo(on);
                }
                default -> {
                    long off = r.nextInt(m.len() + 3);
                    boolean add = r.nextBoolean();
                    int base = r.nextInt(m.len() + 1);
                    log.add(i + ".ptrSet(" + (add ? base + " + " : "") + off + ")");
                    EvbufferPtr p = add ? b.ptrSet(new EvbufferPtr(base), off, PtrHow.ADD) : b.ptrSet(null, off, PtrHow.SET);
                    long want = add ? base + off : off;
                    if (want > m.len()) {
                        assertThat(p).isNull();
                    } else {
                        assertThat(p.position()).isEqualTo(want);
                    }
                }
            }
        }

        FileChannel file(byte[] d) {
            try {
                Path f = dir.resolve("seg-" + seed + "-" + fileNo++);
                Files.write(f, d);
                return FileChannel.open(f, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void closeQuietly(FileChannel ch) {
            try {
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
