package dev.loomevent.runtime.internal.bev;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.Direction;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer of one socket bufferevent: libevent's {@code bufferevent_writecb}, as a loop.
 * <p>Writer virtual thread only. It parks while writing is disabled or suspended or the output is
 * empty, and is unparked (only when parked) by whoever adds to the output or enables writing.
 * Each round it sends up to the max single write (default {@link #MAX_WRITE}) bytes from the front
 * of the output with one gathering write straight
 * from the output's segments ({@link dev.loomevent.runtime.internal.buffer.ChainEvbuffer#writeTo}:
 * the blocking write happens without the lock, so a slow peer slows only this thread and users
 * keep adding meanwhile), and — at the next round, under the lock acquisition that decides whether
 * to go on — posts the write callback if the output is at or below the write low-watermark. An
 * idle writer holds no buffer, and after {@link SocketOps#WRITER_IDLE_NANOS} without work it ends
 * (its parked stack is most of an idle connection's memory); the next byte to send starts a new one.
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

    /**
     * Default of the most bytes one write sends ({@link BuffereventCore#setMaxSingleWrite};
     * system property {@code loomevent.bufferevent.maxSingleWrite}, default 65536). libevent's {@code MAX_SINGLE_WRITE_DEFAULT} is 16384; four times that halves
     * the system calls and packets of a bulk stream (docs/differences-from-libevent.md).
     */
    static final int MAX_WRITE = Math.max(1, Integer.getInteger("loomevent.bufferevent.maxSingleWrite", 65536));

    @Override
    public void run() {
        while (next()) {
            long n;
            try {
                n = core.out().writeTo(channel, core.getMaxSingleWrite());
            } catch (IOException e) {
                ops.writerBusy = false;
                failed(e);
                continue;
            }
            core.counters.bytesWritten(n);
            if (ops.listenerStats != null) {
                ops.listenerStats.bytesWritten(n);
            }
            core.writeProgressed();
            wrote = true;
        }
    }

    /**
     * Reports the last round, then waits for bytes that may be written; returns false when the
     * thread must end.
     */
    private boolean next() {
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
                    if (!core.isFreed()) {
                        ops.kickWriterIfWork();
                    }
                    return false;
                }
                long len = core.output().length();
                if (len > 0 && core.active(BuffereventCore.WRITE)) {
                    break;
                }
                if (len == 0 && core.closingAfterFlush()) {
                    freeNow = true;
                    return false;
                }
                if (len == 0 && ops.retireWriter(this)) {
                    return false;
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
            ops.writerWorking();
            return true;
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
            ops.freeIfClosingAfterFlush();
        } finally {
            core.lock.unlock();
        }
    }
}
