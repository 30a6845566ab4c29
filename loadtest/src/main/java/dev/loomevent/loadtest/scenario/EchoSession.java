package dev.loomevent.loadtest.scenario;

import dev.loomevent.loadtest.client.ClientConnection;
import dev.loomevent.loadtest.client.ConnectionHandler;
import dev.loomevent.loadtest.payload.IntegrityException;
import dev.loomevent.loadtest.payload.MessageDecoder;
import dev.loomevent.loadtest.payload.MessageFormat;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * One long-lived connection of a workload: sends numbered messages, checks every echo, and knows how
 * many echoes it is still owed, so that a connection the server drops with echoes owed fails the run.
 * <p>The connection's callbacks run on its transport thread; {@link #send()} may also run on a pacer
 * thread (open loop), so {@code outstanding} is atomic.
 */
abstract class EchoSession implements ConnectionHandler {
    final Ctx ctx;
    final Part part;
    final MessageFormat format;
    private final MessageDecoder decoder;
    private final byte[] buffer;
    private final CRC32C crc = new CRC32C();
    /** Messages sent and not yet echoed. */
    final AtomicLong outstanding = new AtomicLong();
    /** Set by the connection's thread in onOpen; read by the runner and a pacer. */
    volatile ClientConnection connection;
    /** Whether we closed the connection: then what it still owed is not lost. */
    private volatile boolean closing;
    /** Whether the session sends no more by itself (count reached); set on the connection's thread or the pacer. */
    volatile boolean finished;
    /** Whether the connect ended, well or not; read by a pacer waiting for every connection. */
    volatile boolean settled;
    private boolean opened;
    private boolean permitHeld = true;
    private long nextSeq;

    EchoSession(Ctx ctx, Part part, int size) {
        this.ctx = ctx;
        this.part = part;
        this.format = new MessageFormat(size, ctx.nextSalt());
        this.decoder = new MessageDecoder(format, part.name + " connection to " + ctx.address);
        this.buffer = format.newBuffer();
        ctx.control.sessionStarted();
    }

    /** Starts the session's traffic once connected. */
    abstract void started();

    /** Handles the verified echo of message {@code seq} received at {@code now}; may send more. */
    abstract void echoed(long seq, long now);

    @Override
    public final void onOpen(ClientConnection c) {
        connection = c;
        opened = true;
        settled = true;
        releasePermit();
        part.opened();
        started();
    }

    @Override
    public final void onData(ClientConnection c, ByteBuffer data) {
        decoder.feed(data, this::onEcho);
    }

    private void onEcho(long seq) {
        long now = System.nanoTime();
        outstanding.decrementAndGet();
        echoed(seq, now);
        if (outstanding.get() == 0 && (finished || ctx.control.stopping())) {
            close();
        }
    }

    @Override
    public final void onClosed(ClientConnection c, boolean byPeer, Throwable error) {
        settled = true;
        releasePermit();
        if (opened) {
            part.closed();
        }
        long owed = outstanding.get();
        if (error instanceof IntegrityException) {
            ctx.control.fail(error);
        } else if (!closing && opened) {
            // An echo server never ends a session by itself: a close before ours fails the run even
            // with nothing owed at that moment (an open loop would otherwise skip its later messages).
            String lost = owed > 0 || decoder.partialBytes() > 0
                    ? " with " + owed + " message(s) of " + format.size() + " bytes not echoed ("
                            + decoder.partialBytes() + " bytes of one received): data lost"
                    : " before the run ended";
            ctx.control.fail(new IllegalStateException(part.name + " connection " + c.id() + " to " + ctx.address
                    + (error == null ? " was closed by the server" : " failed (" + error + ")") + lost, error));
        } else if (error != null && !closing) {
            part.error();
            if (!opened) {
                ctx.connectFailed(error);
            }
        }
        ctx.control.sessionEnded();
    }

    /** Ends a session that was never connected (the run stopped first). */
    final void abandon() {
        closing = true;
        ctx.control.sessionEnded();
    }

    /** Sends the next message. */
    final void send() {
        long seq = nextSeq++;
        format.encode(buffer, seq, crc);
        outstanding.incrementAndGet();
        connection.send(buffer, 0, buffer.length);
    }

    /** Returns how many messages were sent. Connection thread (or pacer) only. */
    final long sent() {
        return nextSeq;
    }

    /** Closes the connection when it owes no echo (at stop). Any thread. */
    final void closeIfQuiet() {
        if (outstanding.get() == 0) {
            close();
        }
    }

    final void close() {
        closing = true;
        ClientConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    final boolean usable() {
        return connection != null && !closing;
    }

    private void releasePermit() {
        if (permitHeld) {
            permitHeld = false;
            ctx.connectPermits.release();
        }
    }
}
