package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer of one socket bufferevent: libevent's {@code bufferevent_writecb}, as a loop.
 * <p>Writer virtual thread only. It parks while writing is disabled or suspended or the output is
 * empty, and is unparked (only when parked) by whoever adds to the output or enables writing.
 * Each round it moves up to 16 KiB from the front of the output into a pooled direct buffer under
 * the lock, writes it without the lock (blocking, so a slow peer slows only this thread), gives
 * the buffer back, and — at the next round, under the same lock acquisition that takes the next
 * bytes — posts the write callback if the output is at or below the write low-watermark. An idle
 * writer holds no buffer.
 */
final class SocketWriter implements Runnable {
    private final SocketOps ops;
    private final BuffereventCore core;
    private final SocketChannel channel;
    private final int generation;
    /** Bytes were written since the last watermark check. */
    private boolean wrote;

    SocketWriter(SocketOps ops, SocketChannel channel, int generation) {
        this.ops = ops;
        this.core = ops.core;
        this.channel = channel;
        this.generation = generation;
    }

    private boolean stopped() {
        return ops.generation != generation || core.isFreed();
    }

    @Override
    public void run() {
        while (true) {
            ByteBuffer buf = next();
            if (buf == null) {
                return;
            }
            int n = buf.remaining();
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                BufferPool.release(buf);
                ops.writerBusy = false;
                failed(e);
                continue;
            }
            BufferPool.release(buf);
            core.counters.bytesWritten(n);
            if (ops.listenerStats != null) {
                ops.listenerStats.bytesWritten(n);
            }
            core.writeProgressed();
            wrote = true;
        }
    }

    /**
     * Reports the last round, then waits for bytes that may be written and takes up to 16 KiB of
     * them; returns null when the thread must end.
     */
    private ByteBuffer next() {
        boolean freeNow = false;
        core.lock.lock();
        try {
            if (wrote) {
                wrote = false;
                ops.writerBusy = false;
                if (!stopped() && core.output().length() <= core.writeLow()) {
                    core.post(false, true, 0);
                }
            }
            while (true) {
                ops.writerParked = true;
                if (stopped()) {
                    return null;
                }
                long len = core.output().length();
                if (len > 0 && core.active(BuffereventCore.WRITE)) {
                    break;
                }
                if (len == 0 && core.closingAfterFlush()) {
                    freeNow = true;
                    return null;
                }
                core.lock.unlock();
                try {
                    LockSupport.park(this);
                } finally {
                    core.lock.lock();
                }
            }
            ops.writerParked = false;
            ops.writerBusy = true;
            ByteBuffer buf = BufferPool.take();
            BevBuffers.take(core.output(), buf);
            buf.flip();
            return buf;
        } finally {
            core.lock.unlock();
            if (freeNow) {
                core.free();
            }
        }
    }

    /** libevent: a write error disables writing, then the event callback gets ERROR|WRITING. */
    private void failed(IOException e) {
        core.lock.lock();
        try {
            if (stopped()) {
                return;
            }
            core.setLastError(e);
            core.counters.error(Direction.WRITE);
            core.disableInternal(BuffereventCore.WRITE);
            core.post(false, false, BevEvent.ERROR | BevEvent.WRITING);
            if (core.closingAfterFlush()) {
                core.scheduler.defer(core::free);
            }
        } finally {
            core.lock.unlock();
        }
    }
}
