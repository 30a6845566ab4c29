package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.BevOption;
import dev.loomevent.runtime.internal.buffer.ChainEvbuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The reader of one socket bufferevent: libevent's {@code bufferevent_readcb}, as a loop.
 * <p>Reader virtual thread only. It waits (parked) until reading is enabled, not suspended and the
 * input is below the read high-watermark; then it blocks in a read of at most
 * {@code min(high - length, }{@value #SMALL}{@code )} bytes into a small heap buffer, so that an idle
 * connection holds little. When a read fills that buffer the socket probably has more: the reader
 * goes <em>streaming</em>, and while {@code available()} says bytes are waiting it reads them
 * straight into the input's segments ({@link ChainEvbuffer#readFrom}: one scattering read of up to
 * the max single read and at most 8 segments, never past the high-watermark) — a read that cannot
 * block, done under the lock — returning to the small blocking read when the socket runs dry.
 * <p>Bytes of a blocking read are <em>staged</em> in the small buffer and appended under the
 * bufferevent's lock, as far as the watermark and the enabled state allow: bytes read while the user
 * disabled reading, or beyond a lowered high-watermark, wait in the stage and are never seen in the
 * input until reading may go on. An EOF or error waits behind the staged bytes, so the event
 * callback always sees every byte that came before it.
 */
final class SocketReader implements Runnable {
    /** Bytes of the buffer a blocked read holds. */
    static final int SMALL = 128;
    /**
     * Default of the most bytes one bulk read appends ({@link BuffereventCore#setMaxSingleRead};
     * system property {@code loomevent.bufferevent.maxSingleRead}, default 65536). libevent's {@code MAX_SINGLE_READ_DEFAULT} is 16384; a bulk read here
     * scatters into several segments with one system call, and reading four times as much per
     * call is what lets a stream keep up with Netty (docs/differences-from-libevent.md).
     */
    static final int MAX_READ = Math.max(1, Integer.getInteger("loomevent.bufferevent.maxSingleRead", 65536));
    private static final int NO_END = 0;
    private static final int END_EOF = 1;
    private static final int END_ERROR = 2;
    /** {@link #await()}: a bulk read happened; loop again. */
    private static final int AGAIN = 0;
    /** {@link #await()}: the thread must end. */
    private static final int STOP = -1;

    private final SocketOps ops;
    private final BuffereventCore core;
    private final SocketChannel channel;
    private final int generation;
    /** Staged bytes of the last blocking read, in [position, limit). */
    private final ByteBuffer small = ByteBuffer.allocate(SMALL).limit(0);
    /** Bytes a previous bufferevent of this channel took and left, or null. */
    private ByteBuffer leftover;
    /** This reader told {@link ReadHandover} it has left the channel. */
    private boolean released;
    private boolean streaming;
    private int stagedEnd = NO_END;
    private IOException stagedError;
    private long holdStart;
    private InputStream stream;
    /** The channel cannot say how many bytes wait (a Unix-domain socket): no bulk reads. */
    private boolean noAvailable;

    SocketReader(SocketOps ops, SocketChannel channel, int generation) {
        this.ops = ops;
        this.core = ops.core;
        this.channel = channel;
        this.generation = generation;
    }

    @Override
    public void run() {
        try {
            takeLeft(ReadHandover.awaitTurn(channel, this::stopped));
            while (true) {
                int budget = await();
                if (budget == STOP) {
                    return;
                }
                if (budget > 0) {
                    read(budget);
                }
            }
        } finally {
            if (!released) {
                // An EOF or error ended this reader, or an unexpected error killed it: it must not
                // hold up the channel's next reader, nor be marked stale later as if still reading.
                // Forgotten first: a free() after the release would otherwise mark it stale for good.
                ops.readerGone();
                ReadHandover.release(channel, null, null, null);
            }
        }
    }

    /** Stages what a previous reader of this channel left: its bytes before ours, its error after them. */
    private void takeLeft(ReadHandover.Left left) {
        if (left == null) {
            return;
        }
        if (left.bytes().hasRemaining()) {
            leftover = leftover == null ? left.bytes() : concat(leftover, left.bytes());
        }
        if (left.error() != null && stagedEnd == NO_END) {
            stagedEnd = END_ERROR;
            stagedError = left.error();
        }
    }

    private static ByteBuffer concat(ByteBuffer a, ByteBuffer b) {
        return ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
    }

    private boolean stopped() {
        return ops.generation != generation || core.isFreed();
    }

    private boolean staged() {
        return small.hasRemaining() || leftover != null;
    }

    /**
     * Appends staged bytes and delivers a staged EOF/error as far as allowed, does one bulk read
     * when streaming, or waits until a blocking read may start and returns its budget. Takes the
     * lock once per message in the steady state.
     */
    private int await() {
        core.lock.lock();
        try {
            while (true) {
                ops.readerParked = true;
                if (stopped()) {
                    leave();
                    return STOP;
                }
                if (core.active(BuffereventCore.READ)) {
                    long high = core.readHigh();
                    long room = high == 0 ? Long.MAX_VALUE : high - core.input().length();
                    if (staged()) {
                        if (room > 0) {
                            deliver(room);
                            continue;
                        }
                    } else if (stagedEnd != NO_END) {
                        deliverEnd();
                        // Reading is disabled now; a later enable() starts a new reader, so this
                        // one need not wait (and be woken) only to end when the bufferevent is freed.
                        if (ops.readerEnded(this)) {
                            return STOP;
                        }
                        continue;
                    } else if (room > 0) {
                        endHold();
                        ops.readerParked = false;
                        long most = core.getMaxSingleRead();
                        if (streaming && bulkRead((int) Math.min(room, most))) {
                            return AGAIN;
                        }
                        return (int) Math.min(room, Math.min(SMALL, most));
                    }
                    if (holdStart == 0) {
                        holdStart = System.nanoTime();
                    }
                }
                core.lock.unlock();
                try {
                    LockSupport.park(this);
                } finally {
                    core.lock.lock();
                }
            }
        } finally {
            core.lock.unlock();
        }
    }

    /**
     * Reads what the socket already holds straight into the input; returns false (and stops
     * streaming) when it holds nothing. Lock held: the read cannot block.
     */
    private boolean bulkRead(int max) {
        if (noAvailable) {
            streaming = false;
            return false;
        }
        try {
            if (stream == null) {
                try {
                    stream = channel.socket().getInputStream();
                } catch (UnsupportedOperationException e) {
                    // A Unix-domain channel has no socket adaptor, so no available(): without it a
                    // read here could block under the lock, so this reader keeps to small reads.
                    noAvailable = true;
                    streaming = false;
                    return false;
                }
            }
            int avail = stream.available();
            if (avail <= 0) {
                streaming = false;
                return false;
            }
            int n = core.in().readFrom(channel, Math.min(avail, max));
            if (n < 0) {
                stagedEnd = END_EOF;
            } else {
                appended(n);
            }
        } catch (IOException e) {
            stagedEnd = END_ERROR;
            stagedError = e;
        }
        return true;
    }

    private void endHold() {
        if (holdStart != 0) {
            core.counters.heldAtHighWatermark(System.nanoTime() - holdStart);
            holdStart = 0;
            // The read timeout counts from when reading could go on again.
            core.readProgressed();
        }
    }

    /** Appends up to {@code room} staged bytes and posts the read callback. Lock held. */
    private void deliver(long room) {
        endHold();
        ChainEvbuffer input = core.in();
        long n = 0;
        if (leftover != null) {
            n += appendSome(input, leftover, room);
            if (!leftover.hasRemaining()) {
                leftover = null;
            }
        }
        if (small.hasRemaining() && room - n > 0) {
            n += appendSome(input, small, room - n);
        }
        appended(n);
    }

    private void appended(long n) {
        if (n > 0) {
            core.counters.bytesRead(n);
            if (ops.listenerStats != null) {
                ops.listenerStats.bytesRead(n);
            }
            core.readProgressed();
            core.postReadIfAboveLow();
        }
    }

    private static int appendSome(ChainEvbuffer input, ByteBuffer b, long max) {
        if (b.remaining() <= max) {
            return BevBuffers.append(input, b);
        }
        int limit = b.limit();
        b.limit(b.position() + (int) max);
        int n = BevBuffers.append(input, b);
        b.limit(limit);
        return n;
    }

    /** Reading is disabled before the event callback runs, as in libevent. Lock held. */
    private void deliverEnd() {
        int events;
        if (stagedEnd == END_EOF) {
            core.counters.eof(Direction.READ);
            events = BevEvent.EOF | BevEvent.READING;
        } else {
            core.counters.error(Direction.READ);
            core.setLastError(stagedError);
            events = BevEvent.ERROR | BevEvent.READING;
        }
        stagedEnd = NO_END;
        stagedError = null;
        streaming = false;
        core.readEnded();
        core.post(false, false, events);
    }

    /**
     * The channel is no longer ours: bytes we took from it go to its next bufferevent — unless the
     * free closes it (CLOSE_ON_FREE); setChannel() never closes it. Lock held.
     */
    private void leave() {
        // CLOSE_ON_FREE closes the bufferevent's channel at the free, not one it let go of before.
        boolean closing = core.isFreed() && core.options().contains(BevOption.CLOSE_ON_FREE) && ops.channel == channel;
        if (channel.isOpen() && !closing) {
            ReadHandover.release(channel, leftover, small, stagedEnd == END_ERROR ? stagedError : null);
        } else {
            ReadHandover.release(channel, null, null, null);
        }
        released = true;
        leftover = null;
        small.limit(0);
        stagedEnd = NO_END;
        stagedError = null;
    }

    /** The blocking read, without the lock; the result is staged for the next {@link #await()}. */
    private void read(int budget) {
        small.clear().limit(budget);
        try {
            int n = channel.read(small);
            small.flip();
            // A reader of a bufferevent that shared this channel with ours and let go of it after
            // ours started may have left bytes it read before ours: they go first.
            takeLeft(ReadHandover.take(channel));
            if (n < 0) {
                stagedEnd = END_EOF;
            } else if (n == small.capacity()) {
                streaming = true;
            }
        } catch (IOException e) {
            small.limit(0);
            stagedEnd = END_ERROR;
            stagedError = e;
        }
    }
}
