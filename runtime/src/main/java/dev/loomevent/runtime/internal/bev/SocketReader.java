package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.Evbuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The reader of one socket bufferevent: libevent's {@code bufferevent_readcb}, as a loop.
 * <p>Reader virtual thread only. It waits (parked) until reading is enabled, not suspended and the
 * input is below the read high-watermark; then it blocks in a read of at most
 * {@code min(high - length, 16 KiB)} bytes. While blocked it holds only a {@value #SMALL}-byte heap
 * buffer, so an idle connection costs little; when a read fills that buffer and the socket has
 * more ({@code available()}), it reads the rest at once into a pooled 16 KiB buffer, and keeps doing
 * so while data keeps coming (streaming), returning to the small blocking read when the socket
 * runs dry.
 * <p>Bytes read are <em>staged</em> in those buffers and appended to the input under the
 * bufferevent's lock, as far as the watermark and the enabled state allow: bytes read while the
 * user disabled reading, or beyond a lowered high-watermark, wait in the stage and are never seen
 * in the input until reading may go on. An EOF or error waits behind the staged bytes, so the
 * event callback always sees every byte that came before it.
 */
final class SocketReader implements Runnable {
    /** Bytes of the buffer a blocked read holds. */
    static final int SMALL = 128;
    private static final int NO_END = 0;
    private static final int END_EOF = 1;
    private static final int END_ERROR = 2;

    private final SocketOps ops;
    private final BuffereventCore core;
    private final SocketChannel channel;
    private final int generation;
    private final ByteBuffer small = ByteBuffer.allocate(SMALL).limit(0);
    /** Staged bulk bytes (a pooled direct buffer, or heap leftovers), or null. */
    private ByteBuffer bulk;
    private boolean streaming;
    private int stagedEnd = NO_END;
    private IOException stagedError;
    private long holdStart;
    private InputStream stream;

    SocketReader(SocketOps ops, SocketChannel channel, int generation) {
        this.ops = ops;
        this.core = ops.core;
        this.channel = channel;
        this.generation = generation;
    }

    @Override
    public void run() {
        bulk = Leftovers.take(channel);
        try {
            while (true) {
                int budget = await();
                if (budget < 0) {
                    return;
                }
                read(budget);
            }
        } finally {
            releaseBulk();
        }
    }

    private boolean stopped() {
        return ops.generation != generation || core.isFreed();
    }

    /**
     * Appends staged bytes and delivers a staged EOF/error as far as allowed, then waits until a
     * new read may start; returns its budget, or -1 when the thread must end. Takes the lock once
     * per message in the steady state.
     */
    private int await() {
        core.lock.lock();
        try {
            while (true) {
                ops.readerParked = true;
                if (stopped()) {
                    leave();
                    return -1;
                }
                if (core.active(BuffereventCore.READ)) {
                    long high = core.readHigh();
                    long room = high == 0 ? Long.MAX_VALUE : high - core.input().length();
                    if (small.hasRemaining() || bulk != null) {
                        if (room > 0) {
                            deliver(room);
                            continue;
                        }
                    } else if (stagedEnd != NO_END) {
                        deliverEnd();
                        continue;
                    } else if (room > 0) {
                        endHold();
                        ops.readerParked = false;
                        return (int) Math.min(room, BufferPool.SIZE);
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
        Evbuffer input = core.input();
        long appended = 0;
        if (small.hasRemaining()) {
            appended += appendSome(input, small, room);
        }
        if (bulk != null && room - appended > 0) {
            appended += appendSome(input, bulk, room - appended);
            if (!bulk.hasRemaining()) {
                releaseBulk();
            }
        }
        if (appended > 0) {
            core.counters.bytesRead(appended);
            if (ops.listenerStats != null) {
                ops.listenerStats.bytesRead(appended);
            }
            core.readProgressed();
            core.postReadIfAboveLow();
        }
    }

    private static int appendSome(Evbuffer input, ByteBuffer b, long max) {
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
        core.disableInternal(BuffereventCore.READ);
        core.post(false, false, events);
    }

    /** The channel is no longer ours: bytes we took from it go to its next bufferevent. Lock held. */
    private void leave() {
        if (channel.isOpen() && !core.options().contains(dev.loomevent.api.BevOption.CLOSE_ON_FREE)) {
            Leftovers.put(channel, small);
            if (bulk != null) {
                Leftovers.put(channel, bulk);
            }
        }
        small.limit(0);
    }

    /** Reads without the lock; the result is staged for the next {@link #await()}. */
    private void read(int budget) {
        boolean smallFilled = false;
        try {
            if (streaming) {
                int avail = available();
                if (avail > 0) {
                    readBulk(Math.min(avail, budget));
                    return;
                }
                streaming = false;
            }
            small.clear().limit(Math.min(SMALL, budget));
            int n = channel.read(small);
            small.flip();
            smallFilled = true;
            if (n < 0) {
                stagedEnd = END_EOF;
                return;
            }
            if (n == small.capacity() && budget > n) {
                int avail = available();
                if (avail > 0) {
                    streaming = true;
                    readBulk(Math.min(avail, budget - n));
                }
            }
        } catch (IOException e) {
            if (!smallFilled) {
                small.limit(0);
            }
            stagedEnd = END_ERROR;
            stagedError = e;
        }
    }

    /** Reads at most {@code max} bytes that are known to be there, so it does not block. */
    private void readBulk(int max) throws IOException {
        ByteBuffer b = BufferPool.take();
        b.limit(Math.min(max, b.capacity()));
        int n;
        try {
            n = channel.read(b);
        } catch (IOException e) {
            BufferPool.release(b);
            throw e;
        }
        b.flip();
        if (n < 0) {
            stagedEnd = END_EOF;
        }
        if (b.hasRemaining()) {
            bulk = b;
        } else {
            BufferPool.release(b);
        }
    }

    private int available() throws IOException {
        if (stream == null) {
            stream = channel.socket().getInputStream();
        }
        return stream.available();
    }

    private void releaseBulk() {
        ByteBuffer b = bulk;
        bulk = null;
        if (b != null && b.isDirect() && b.capacity() == BufferPool.SIZE) {
            BufferPool.release(b);
        }
    }
}
