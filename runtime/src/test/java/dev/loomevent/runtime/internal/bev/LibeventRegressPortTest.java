package dev.loomevent.runtime.internal.bev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.BuffereventCallbacks;
import dev.loomevent.api.BevEventCallback;
import dev.loomevent.api.DataCallback;
import dev.loomevent.api.Direction;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.FlushMode;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.TriggerOption;
import dev.loomevent.api.Watermark;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports of libevent 2.1.12's own regression tests (test/regress_bufferevent.c, test/regress_listener.c,
 * and the bufferevent part of test/regress_dns.c) for socket bufferevents and listeners, rewritten
 * against loomevent's API. Each test names the libevent test it ports.
 */
@Timeout(30)
class LibeventRegressPortTest {
    private static final String TEST_STR = "Now is the time for all good events to signal for the good of their protocol";
    /** libevent's trigger test sends ~0; loomevent's event bits are the defined BevEvent bits. */
    private static final int ALL_EVENTS = BevEvent.READING | BevEvent.WRITING | BevEvent.EOF | BevEvent.ERROR
            | BevEvent.TIMEOUT | BevEvent.CONNECTED;
    private Loopback lo;

    @BeforeEach
    void start() {
        lo = new Loopback("regress-port");
    }

    @AfterEach
    void stop() {
        lo.close();
    }

    /** Two empty rounds of the callback thread: whatever was posted before has run. */
    private void settle() throws Exception {
        lo.call(() -> null);
        lo.call(() -> null);
    }

    private static Set<BevOption> opts(BevOption... o) {
        EnumSet<BevOption> s = EnumSet.of(BevOption.CLOSE_ON_FREE);
        s.addAll(List.of(o));
        return s;
    }

    // ---- regress_bufferevent.c: test_bufferevent_impl ------------------------------------------

    static Stream<Arguments> flushModes() {
        return Stream.of(Arguments.of((FlushMode) null), Arguments.of(FlushMode.NORMAL),
                Arguments.of(FlushMode.FLUSH), Arguments.of(FlushMode.FINISHED));
    }

    /**
     * Ports {@code bufferevent}, {@code bufferevent_flush_normal}, {@code bufferevent_flush_flush} and
     * {@code bufferevent_flush_finished} (test_bufferevent_impl, socket variant): two socket
     * bufferevents on the two ends of one connection; getcb returns what setcb set; after
     * disable(READ) on the sender and enable(READ) on the receiver, get_enabled is WRITE and
     * READ|WRITE; 8333 bytes written (then flushed with the mode, which must not fail) reach the
     * receiver's read callback in full, the sender's write callback sees its output empty, and no
     * event callback runs. The receiver, write-enabled but with nothing to write, gets no write
     * callback that sees an empty output (libevent's test would count it).
     */
    @ParameterizedTest
    @MethodSource("flushModes")
    void bufferevent(FlushMode flush) throws Exception {
        try (Loopback.Pair p = lo.pair(opts())) {
            Bufferevent bev1 = p.bev();
            Bufferevent bev2 = Bufferevent.socket(lo.base, p.peer(), EnumSet.noneOf(BevOption.class));
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger bev2EmptyWrites = new AtomicInteger();
            byte[] got = new byte[8333];
            DataCallback readcb = (b, a) -> {
                if (b.input().length() == 8333) {
                    Evbuffer evbuf = Evbuffer.create();
                    b.readBuffer(evbuf);
                    b.disable(Direction.READ);
                    if (evbuf.length() == 8333) {
                        evbuf.remove(got, 0, 8333);
                        ok.incrementAndGet();
                    }
                }
            };
            DataCallback writecb = (b, a) -> {
                if (b.output().length() == 0) {
                    if (b == bev2) {
                        bev2EmptyWrites.incrementAndGet();
                    } else {
                        ok.incrementAndGet();
                    }
                }
            };
            BevEventCallback errorcb = (b, ev, a) -> errors.incrementAndGet();
            lo.call(() -> {
                bev1.setCallbacks(readcb, writecb, errorcb, null);
                bev2.setCallbacks(readcb, writecb, errorcb, null);
                BuffereventCallbacks cbs = bev1.getCallbacks();
                assertThat(cbs.read()).isSameAs(readcb);
                assertThat(cbs.write()).isSameAs(writecb);
                assertThat(cbs.event()).isSameAs(errorcb);
                assertThat(cbs.arg()).isNull();
                assertThat(bev1.channel()).isNotNull();
                assertThat(bev1.underlying()).isNull();
                bev1.disable(Direction.READ);
                bev2.enable(Direction.READ);
                assertThat(bev1.enabled()).containsExactly(Direction.WRITE);
                assertThat(bev2.enabled()).containsExactlyInAnyOrder(Direction.READ, Direction.WRITE);
                byte[] buffer = new byte[8333];
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = (byte) i;
                }
                bev1.write(buffer);
                if (flush != null) {
                    assertThat(bev1.flush(EnumSet.of(Direction.WRITE), flush)).isGreaterThanOrEqualTo(0);
                }
                return null;
            });
            Loopback.await("both data callbacks", () -> ok.get() == 2);
            settle();
            assertThat(ok.get()).isEqualTo(2);
            assertThat(errors.get()).isZero();
            assertThat(bev2EmptyWrites.get()).isZero();
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isEqualTo((byte) i);
            }
            lo.call(() -> {
                bev2.free();
                bev1.free();
                return null;
            });
        }
    }

    // ---- regress_bufferevent.c: test_bufferevent_watermarks_impl -------------------------------

    /**
     * Ports {@code bufferevent_watermarks} (socket variant): low watermarks default to 0; set/get of
     * READ 10..20 and WRITE 100..2000 round-trip; 65000 bytes sent through a sender with write
     * watermarks 100/2000 to a receiver with read watermarks 10/20: every read callback sees 10..20
     * bytes, every write callback sees at most 100 bytes of output, and the write callback sees the
     * output empty exactly once; all bytes arrive. (libevent's getwatermark(EV_READ|EV_WRITE) == -1 has
     * no counterpart: {@code getWatermark} takes one direction.)
     */
    @Test
    void bufferevent_watermarks() throws Exception {
        try (Loopback.Pair p = lo.pair(opts())) {
            Bufferevent bev1 = p.bev();
            Bufferevent bev2 = Bufferevent.socket(lo.base, p.peer(), EnumSet.noneOf(BevOption.class));
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicLong nread = new AtomicLong();
            AtomicInteger drained = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            lo.call(() -> {
                bev1.setCallbacks(null, (b, a) -> {
                    long len = b.output().length();
                    if (len > 100) {
                        violations.add("write callback with " + len + " bytes of output");
                    }
                    if (len == 0) {
                        drained.incrementAndGet();
                    }
                }, (b, ev, a) -> errors.incrementAndGet(), null);
                bev2.setCallbacks((b, a) -> {
                    long len = b.input().length();
                    if (len < 10 || len > 20) {
                        violations.add("read callback with " + len + " bytes of input");
                    }
                    b.readBuffer(Evbuffer.create());
                    if (nread.addAndGet(len) == 65000) {
                        b.disable(Direction.READ);
                    }
                }, null, (b, ev, a) -> errors.incrementAndGet(), null);
                bev1.disable(Direction.READ);
                bev2.enable(Direction.READ);
                assertThat(bev1.getWatermark(Direction.READ).low()).isZero();
                assertThat(bev2.getWatermark(Direction.WRITE).low()).isZero();
                bev2.setWatermark(Direction.READ, 10, 20);
                assertThat(bev2.getWatermark(Direction.READ)).isEqualTo(new Watermark(10, 20));
                bev1.setWatermark(Direction.WRITE, 100, 2000);
                assertThat(bev1.getWatermark(Direction.WRITE)).isEqualTo(new Watermark(100, 2000));
                byte[] buffer = new byte[65000];
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = (byte) i;
                }
                bev1.write(buffer);
                return null;
            });
            // libevent relies on every read being exactly 20 bytes; here a tail under the low-watermark
            // may legitimately stay in the input, so wait for all bytes to be accounted for.
            Loopback.await("all 65000 bytes", () -> nread.get() == 65000
                    || (nread.get() + bev2.input().length() == 65000 && bev2.input().length() < 10));
            Loopback.await("the sender's drain", () -> drained.get() >= 1);
            settle();
            assertThat(violations).isEmpty();
            assertThat(drained.get()).isEqualTo(1);
            assertThat(errors.get()).isZero();
            lo.call(() -> {
                bev1.free();
                bev2.free();
                return null;
            });
        }
    }

    // ---- regress_bufferevent.c: test_bufferevent_connect ---------------------------------------

    static Stream<Arguments> connectVariants() {
        return Stream.of(
                Arguments.of("bufferevent_connect", opts()),
                Arguments.of("bufferevent_connect_defer", opts(BevOption.DEFER_CALLBACKS)),
                Arguments.of("bufferevent_connect_lock", opts(BevOption.THREADSAFE)),
                Arguments.of("bufferevent_connect_lock_defer", opts(BevOption.THREADSAFE, BevOption.DEFER_CALLBACKS)),
                Arguments.of("bufferevent_connect_unlocked_cbs",
                        opts(BevOption.THREADSAFE, BevOption.DEFER_CALLBACKS, BevOption.UNLOCK_CALLBACKS)));
    }

    /** The listen_cb of regress_bufferevent.c: send TEST_STR, free once the output drained. */
    private Listener senderListener(Set<BevOption> flags, List<String> failures) {
        return lo.listen((l, ch, peer, arg) -> {
            Bufferevent bev = Bufferevent.socket(lo.base, ch, flags);
            bev.setCallbacks(null, (b, a) -> {
                if (b.output().length() == 0) {
                    b.disable(EnumSet.allOf(Direction.class));
                    b.free();
                }
            }, (b, ev, a) -> failures.add("sender event " + BevEvent.toString(ev)));
            bev.write(TEST_STR.getBytes(StandardCharsets.US_ASCII));
        });
    }

    /**
     * Ports {@code bufferevent_connect}, {@code _defer}, {@code _lock}, {@code _lock_defer} and
     * {@code _unlocked_cbs}: two bufferevents created without a channel, reading enabled, connect to a
     * listener whose accepted bufferevents send a string and free themselves once drained. Each
     * client gets CONNECTED, then EOF with the whole string in its input; no ERROR; at least two read
     * callbacks in total.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("connectVariants")
    void bufferevent_connect(String name, Set<BevOption> flags) throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        List<String> strings = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        Listener lev = senderListener(flags, failures);
        List<String> seen = new CopyOnWriteArrayList<>();
        BevEventCallback readerEvent = (b, what, a) -> {
            seen.add(System.identityHashCode(b) + ":" + BevEvent.toString(what));
            if ((what & BevEvent.ERROR) != 0) {
                failures.add("connector error " + BevEvent.toString(what));
                return;
            }
            if ((what & BevEvent.CONNECTED) != 0) {
                b.enable(Direction.READ);
            }
            if ((what & BevEvent.EOF) != 0) {
                byte[] buf = new byte[512];
                int n = b.read(buf, 0, buf.length);
                // A second EOF with an empty input can follow when the reader reached EOF before the
                // CONNECTED callback re-enabled reading (libevent has the same race when its read
                // event fires before the connecting write event); libevent's test stops at two strings.
                if (n > 0) {
                    strings.add(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
            }
        };
        List<Bufferevent> bevs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Bufferevent bev = Bufferevent.socket(lo.base, null, flags);
            bev.setCallbacks((b, a) -> reads.incrementAndGet(), null, readerEvent, lo.base);
            bev.enable(Direction.READ);
            bevs.add(bev);
        }
        for (Bufferevent bev : bevs) {
            assertThat(bev.connect(lev.localAddress())).isZero();
        }
        try {
            Loopback.await("two strings", () -> strings.size() == 2 || !failures.isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": strings " + strings + ", events " + seen + ", reads " + reads.get()
                    + ", inputs " + bevs.stream().map(b -> b.input().length() + "/" + b.enabled()).toList(), e);
        }
        assertThat(failures).isEmpty();
        assertThat(strings).containsExactly(TEST_STR, TEST_STR);
        assertThat(reads.get()).as("read callbacks; events %s", seen).isGreaterThanOrEqualTo(2);
        lev.free();
        bevs.forEach(Bufferevent::free);
    }

    // ---- regress_bufferevent.c: connect failures -----------------------------------------------

    /** libevent's fake_listener_create: a socket bound to 127.0.0.1 that never listens. */
    private static SocketChannel boundNotListening() throws Exception {
        SocketChannel s = SocketChannel.open();
        s.bind(Loopback.anyPort());
        return s;
    }

    /**
     * Ports {@code bufferevent_connect_fail}: a connect (DEFER_CALLBACKS) to a port that is bound but
     * not listening reports ERROR to the event callback, and only ERROR.
     */
    @Test
    void bufferevent_connect_fail() throws Exception {
        try (SocketChannel fake = boundNotListening()) {
            Bufferevent bev = Bufferevent.socket(lo.base, null, opts(BevOption.DEFER_CALLBACKS));
            List<Integer> events = new CopyOnWriteArrayList<>();
            bev.setCallbacks(null, null, (b, ev, a) -> events.add(ev));
            int r = bev.connect(fake.getLocalAddress());
            assertThat(r).isIn(0, -1);
            Loopback.await("the failure", () -> !events.isEmpty());
            settle();
            assertThat(events).containsExactly(BevEvent.ERROR);
            bev.free();
        }
    }

    /**
     * Ports {@code bufferevent_connect_fail_eventcb} and {@code bufferevent_connect_fail_eventcb_defer}:
     * with read and write callbacks set and READ|WRITE enabled before a connect to a bound, not
     * listening port, nothing runs during connect(); then the event callback runs exactly once and
     * neither data callback ever runs.
     */
    @ParameterizedTest
    @MethodSource("deferOrNot")
    void bufferevent_connect_fail_eventcb(Set<BevOption> flags) throws Exception {
        try (SocketChannel fake = boundNotListening()) {
            Bufferevent bev = Bufferevent.socket(lo.base, null, flags);
            AtomicInteger events = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            lo.call(() -> {
                bev.setCallbacks((b, a) -> reads.incrementAndGet(), (b, a) -> reads.incrementAndGet(),
                        (b, ev, a) -> events.incrementAndGet(), lo.base);
                bev.enable(EnumSet.of(Direction.READ, Direction.WRITE));
                assertThat(events.get()).isZero();
                int r = bev.connect(fake.getLocalAddress());
                assertThat(r).isIn(0, -1);
                assertThat(events.get()).isZero();
                assertThat(reads.get()).isZero();
                return null;
            });
            Loopback.await("the event callback", () -> events.get() > 0);
            settle();
            assertThat(events.get()).isEqualTo(1);
            assertThat(reads.get()).isZero();
            bev.free();
        }
    }

    static Stream<Arguments> deferOrNot() {
        return Stream.of(Arguments.of(opts()), Arguments.of(opts(BevOption.DEFER_CALLBACKS)));
    }

    // ---- regress_bufferevent.c: test_bufferevent_timeouts --------------------------------------

    /**
     * Ports {@code bufferevent_timeout} (socket variant; libevent's bufferevents there have fd -1, so
     * nothing is ever readable or writable): a bufferevent with no channel, read timeout 150 ms and
     * write timeout 100 ms, 7 bytes in its output and READ|WRITE enabled gets exactly two event
     * callbacks, READING|TIMEOUT and WRITING|TIMEOUT, and no read or write callback; both directions
     * end disabled. (The test's second bufferevent, write-enabled with an empty output, gets a write
     * timeout in libevent only because fd -1 never becomes writable; loomevent documents that a write
     * timeout counts only while the output holds bytes, which is what libevent does on a real socket.)
     */
    @Test
    void bufferevent_timeout() throws Exception {
        Bufferevent bev1 = Bufferevent.socket(lo.base, null, EnumSet.noneOf(BevOption.class));
        List<Integer> events = new CopyOnWriteArrayList<>();
        AtomicInteger data = new AtomicInteger();
        lo.call(() -> {
            bev1.setCallbacks((b, a) -> data.incrementAndGet(), (b, a) -> data.incrementAndGet(),
                    (b, ev, a) -> events.add(ev), null);
            bev1.setTimeouts(Duration.ofMillis(150), Duration.ofMillis(100));
            bev1.write("ABCDEFG".getBytes(StandardCharsets.US_ASCII));
            bev1.enable(EnumSet.of(Direction.READ, Direction.WRITE));
            return null;
        });
        try {
            Loopback.await("both timeouts", () -> events.size() >= 2);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": events " + events + ", enabled " + bev1.enabled(), e);
        }
        settle();
        assertThat(events).containsExactlyInAnyOrder(BevEvent.READING | BevEvent.TIMEOUT,
                BevEvent.WRITING | BevEvent.TIMEOUT);
        assertThat(data.get()).isZero();
        assertThat(bev1.enabled()).isEmpty();
        bev1.free();
    }

    // ---- regress_bufferevent.c: test_bufferevent_trigger ---------------------------------------

    static Stream<Arguments> triggerVariants() {
        return Stream.of(
                Arguments.of("bufferevent_trigger", opts(), EnumSet.noneOf(TriggerOption.class)),
                Arguments.of("bufferevent_trigger_defer", opts(BevOption.DEFER_CALLBACKS), EnumSet.noneOf(TriggerOption.class)),
                Arguments.of("bufferevent_trigger_postpone", opts(), EnumSet.of(TriggerOption.DEFER_CALLBACKS)),
                Arguments.of("bufferevent_trigger_defer_postpone", opts(BevOption.DEFER_CALLBACKS),
                        EnumSet.of(TriggerOption.DEFER_CALLBACKS)));
    }

    /**
     * Ports {@code bufferevent_trigger}, {@code _defer}, {@code _postpone} and {@code _defer_postpone}:
     * inside the first read callback (a listener sent a string), with the read low-watermark set one
     * above the input length, trigger(READ) runs nothing; trigger(READ, IGNORE_WATERMARKS) runs the
     * (replaced) read callback at once unless the bufferevent or the trigger defers, in which case it
     * runs later; that callback's triggerEvent(~0) reaches the event callback as one call with all
     * bits (here: all BevEvent bits), also when deferred: libevent's deferred runner delivers events
     * queued by the read callback it is running in the same run, after it, unsplit. Exactly two read
     * callbacks in all.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("triggerVariants")
    void bufferevent_trigger(String name, Set<BevOption> flags, Set<TriggerOption> trig) throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> allEvents = new CompletableFuture<>();
        Listener lev = senderListener(flags, failures);
        boolean deferred = flags.contains(BevOption.DEFER_CALLBACKS) || trig.contains(TriggerOption.DEFER_CALLBACKS);
        Bufferevent bev = Bufferevent.socket(lo.base, null, flags);
        BevEventCallback eventcb = (b, what, a) -> {
            if (what == ALL_EVENTS) {
                allEvents.complete(null);
            } else if ((what & BevEvent.ERROR) != 0) {
                failures.add("error " + BevEvent.toString(what));
            } else if ((what & BevEvent.CONNECTED) != 0) {
                b.enable(Direction.READ);
            }
        };
        DataCallback triggered = (b, a) -> {
            reads.incrementAndGet();
            b.triggerEvent(ALL_EVENTS, trig);
        };
        DataCallback first = (b, a) -> {
            int expected = reads.incrementAndGet();
            b.setCallbacks(triggered, null, eventcb, a);
            Watermark wm = b.getWatermark(Direction.READ);
            long len = b.input().length();
            b.setWatermark(Direction.READ, len + 1, 0);
            b.trigger(EnumSet.of(Direction.READ), trig);
            if (reads.get() != expected) {
                failures.add("trigger below the low-watermark ran the read callback");
            }
            if (!deferred) {
                expected++;
            }
            EnumSet<TriggerOption> ignore = EnumSet.of(TriggerOption.IGNORE_WATERMARKS);
            ignore.addAll(trig);
            b.trigger(EnumSet.of(Direction.READ), ignore);
            if (reads.get() != expected) {
                failures.add("after trigger(IGNORE_WATERMARKS): " + reads.get() + " reads, expected " + expected);
            }
            b.setWatermark(Direction.READ, wm.low(), wm.high());
        };
        bev.setCallbacks(first, null, eventcb, lo.base);
        bev.enable(Direction.READ);
        assertThat(bev.connect(lev.localAddress())).isZero();
        try {
            allEvents.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no triggered event; reads " + reads.get() + ", failures " + failures, e);
        }
        settle();
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isEqualTo(2);
        lev.free();
        bev.free();
    }

    // ---- regress_dns.c: test_bufferevent_connect_hostname --------------------------------------

    /**
     * Ports {@code bufferevent_connect_hostname} (regress_dns.c) without a DNS server: a lookup that
     * fails (a resolver throwing UnknownHostException, and the system resolver on a name under
     * .invalid), a connect by IP literal, and a lookup that succeeds: each bufferevent gets exactly
     * one event callback; the failures are ERROR with a non-zero DNS error, the others CONNECTED with
     * DNS error 0, and the listener accepts the two that connected.
     */
    @Test
    void bufferevent_connect_hostname() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        Listener lev = lo.listen((l, ch, peer, arg) -> accepted.incrementAndGet());
        int port = ((InetSocketAddress) lev.localAddress()).getPort();
        DnsResolver failing = (host, family) -> {
            throw new UnknownHostException(host);
        };
        DnsResolver fixed = (host, family) -> List.of(InetAddress.getLoopbackAddress());
        List<List<Integer>> events = new ArrayList<>();
        List<Bufferevent> bevs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Integer> mine = new CopyOnWriteArrayList<>();
            events.add(mine);
            Bufferevent bev = Bufferevent.socket(lo.base, null, opts());
            bev.setCallbacks(null, null, (b, ev, a) -> mine.add(ev));
            bevs.add(bev);
        }
        assertThat(bevs.get(0).connectHostname(failing, StandardProtocolFamily.INET, "nosuchplace.invalid", port)).isZero();
        assertThat(bevs.get(1).connectHostname(null, StandardProtocolFamily.INET, "nonesuch.nowhere.invalid", 80)).isZero();
        assertThat(bevs.get(2).connectHostname(failing, StandardProtocolFamily.INET, "127.0.0.1", port)).isZero();
        assertThat(bevs.get(3).connectHostname(fixed, StandardProtocolFamily.INET, "nobodyhome.example.com", port)).isZero();
        try {
            Loopback.await("an event on each", () -> events.stream().allMatch(e -> !e.isEmpty()) && accepted.get() == 2);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": events " + events + ", accepted " + accepted.get(), e);
        }
        settle();
        assertThat(events.get(0)).containsExactly(BevEvent.ERROR);
        assertThat(events.get(1)).containsExactly(BevEvent.ERROR);
        assertThat(events.get(2)).containsExactly(BevEvent.CONNECTED);
        assertThat(events.get(3)).containsExactly(BevEvent.CONNECTED);
        assertThat(bevs.get(0).dnsError()).isEqualTo(DnsResolver.EAI_NONAME);
        assertThat(bevs.get(1).dnsError()).isNotZero();
        assertThat(bevs.get(2).dnsError()).isZero();
        assertThat(bevs.get(3).dnsError()).isZero();
        assertThat(accepted.get()).isEqualTo(2);
        bevs.forEach(Bufferevent::free);
        lev.free();
    }

    // ---- regress_listener.c --------------------------------------------------------------------

    /**
     * Ports {@code randport} and {@code randport_ts} (regress_pick_a_port): two listeners bound to
     * 127.0.0.1 port 0 get distinct ports on 127.0.0.1 and report their base; two connections to the
     * first and one to the second are each accepted, and an accept callback that disables its
     * listener when its count reaches zero leaves every count at zero.
     */
    @ParameterizedTest
    @MethodSource("listenerOptions")
    void randport(Set<ListenerOption> flags) throws Exception {
        AtomicInteger count1 = new AtomicInteger(2);
        AtomicInteger count2 = new AtomicInteger(1);
        dev.loomevent.api.AcceptCallback acceptcb = (l, ch, peer, arg) -> {
            AtomicInteger c = (AtomicInteger) arg;
            try {
                ch.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (c.decrementAndGet() == 0) {
                l.disable();
            }
        };
        Listener l1 = Listener.bind(lo.base, acceptcb, count1, flags, -1, Loopback.anyPort());
        Listener l2 = Listener.bind(lo.base, acceptcb, count2, flags, -1, Loopback.anyPort());
        InetSocketAddress a1 = (InetSocketAddress) l1.localAddress();
        InetSocketAddress a2 = (InetSocketAddress) l2.localAddress();
        assertThat(l1.channel()).isNotNull();
        assertThat(a1.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(a2.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(a1.getPort()).isNotEqualTo(a2.getPort());
        assertThat(l1.base()).isSameAs(lo.base);
        assertThat(l2.base()).isSameAs(lo.base);
        try (SocketChannel c1 = Loopback.connect(a1); SocketChannel c2 = Loopback.connect(a1);
             SocketChannel c3 = Loopback.connect(a2)) {
            Loopback.await("all accepted", () -> count1.get() == 0 && count2.get() == 0);
            Loopback.await("both disabled", () -> !l1.isEnabled() && !l2.isEnabled());
        }
        assertThat(count1.get()).isZero();
        assertThat(count2.get()).isZero();
        l1.free();
        l2.free();
    }

    static Stream<Arguments> listenerOptions() {
        return Stream.of(Arguments.of(EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE)),
                Arguments.of(EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE, ListenerOption.THREADSAFE)));
    }

    /**
     * Ports {@code immediate_close}: two clients connect at once to a listener whose callback closes
     * the connection and disables the listener after the first; exactly one is accepted and the
     * listener stays disabled (the second waits in the backlog).
     */
    @Test
    void immediate_close() throws Exception {
        AtomicInteger count = new AtomicInteger(1);
        AtomicInteger calls = new AtomicInteger();
        Listener lev = Listener.bind(lo.base, (l, ch, peer, arg) -> {
            calls.incrementAndGet();
            try {
                ch.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (count.decrementAndGet() == 0) {
                l.disable();
            }
        }, null, EnumSet.of(ListenerOption.CLOSE_ON_FREE, ListenerOption.REUSEABLE), -1, Loopback.anyPort());
        try (SocketChannel c1 = Loopback.connect(lev.localAddress()); SocketChannel c2 = Loopback.connect(lev.localAddress())) {
            Loopback.await("the first accept", () -> calls.get() >= 1);
            settle();
            assertThat(calls.get()).isEqualTo(1);
            assertThat(count.get()).isZero();
            assertThat(lev.isEnabled()).isFalse();
        }
        lev.free();
    }

    /**
     * evutil_getaddrinfo treats only numeric hosts as literals; anything else goes to the resolver
     * the user gave. InetAddress.getByName would look up a name such as "x:1" (a ':' but no hex
     * first character) in the system resolver, so numericHost must not pass it there.
     */
    @Test
    void numericHostTakesOnlyLiterals() {
        assertThat(SocketOps.numericHost("127.0.0.1", null)).isNotNull();
        assertThat(SocketOps.numericHost("::1", null)).isNotNull();
        assertThat(SocketOps.numericHost("1.2.3.4.5", null)).isNull();
        assertThat(SocketOps.numericHost("x:1", null)).isNull();
        assertThat(SocketOps.numericHost("localhost:80", null)).isNull();
        assertThat(SocketOps.numericHost("::ffff:foo", null)).isNull();
        assertThat(SocketOps.numericHost("::1", java.net.StandardProtocolFamily.INET)).isNull();
    }
}
