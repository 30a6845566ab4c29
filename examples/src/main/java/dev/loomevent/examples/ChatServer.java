package dev.loomevent.examples;

import dev.loomevent.api.BevEvent;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.Direction;
import dev.loomevent.api.EolStyle;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumSet;

/**
 * A chat room: every line a member sends goes to every other member, prefixed with the sender's
 * number; members are told who joins and who leaves.
 * <p>Not a libevent sample, but the pattern libevent's users write first after an echo server: many
 * bufferevents on one base, one callback thread, so the member table needs no lock. What it shows:
 * a read callback that takes whole lines ({@link dev.loomevent.api.Evbuffer#readLine}), writing one
 * line into many outputs ({@link Bufferevent#write} on each member), and how a server protects
 * itself from a member who does not read: a member whose output holds more than {@link #MAX_BACKLOG}
 * bytes is dropped instead of letting the server's memory grow.
 * <p>Protocol (lines end with {@code \n} or {@code \r\n}): a new member receives {@code welcome N};
 * others receive {@code * N joined}, then {@code N: text} for each line N sends, and
 * {@code * N left} when N goes.
 * <p>Run: {@code ./loomevent example chat [port]} (9999 by default), then several
 * {@code nc 127.0.0.1 9999}.
 * <p>Callback thread only: every callback runs on the base's callback thread.
 */
public final class ChatServer implements AutoCloseable {
    static final int DEFAULT_PORT = 9999;
    /** A member whose unsent output exceeds this is dropped. */
    static final long MAX_BACKLOG = 1 << 20;
    /** A member who sends this much without an end of line is dropped. */
    static final long MAX_LINE = 64 * 1024;

    private final EventBase base;
    private final Listener listener;
    private final Map<Bufferevent, Integer> members = new LinkedHashMap<>(); // callback thread only
    private int lastId; // callback thread only

    ChatServer(EventBase base, SocketAddress address) {
        this.base = base;
        this.listener = Listener.bind(base, this::onAccept, null,
                EnumSet.of(ListenerOption.REUSEABLE, ListenerOption.CLOSE_ON_FREE), -1, address);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    private void onAccept(Listener l, SocketChannel channel, SocketAddress peer, Object arg) {
        Bufferevent bev = Bufferevent.socket(base, channel, EnumSet.of(BevOption.CLOSE_ON_FREE));
        int id = ++lastId;
        bev.setCallbacks(this::onRead, null, this::onEvent, id);
        bev.enable(Direction.READ);
        broadcast(null, "* " + id + " joined\n");
        members.put(bev, id);
        bev.write(("welcome " + id + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void onRead(Bufferevent bev, Object arg) {
        int id = (Integer) arg;
        String line;
        while ((line = bev.input().readLine(EolStyle.CRLF)) != null) {
            broadcast(bev, id + ": " + line + "\n");
        }
        if (bev.input().length() > MAX_LINE) {
            leave(bev, "* " + id + " dropped (line too long)\n", false);
        }
    }

    private void onEvent(Bufferevent bev, int events, Object arg) {
        if ((events & (BevEvent.EOF | BevEvent.ERROR)) != 0) {
            // On EOF the member may only have half-closed: lines already queued for it still go out.
            leave(bev, "* " + arg + " left\n", (events & BevEvent.ERROR) == 0);
        }
    }

    /** Sends {@code text} to every member but {@code from}; drops members who stopped reading. */
    private void broadcast(Bufferevent from, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Bufferevent member : members.keySet().toArray(new Bufferevent[0])) {
            if (member == from || !members.containsKey(member)) {
                continue; // the sender, or dropped by an earlier round of this loop
            }
            if (member.output().length() > MAX_BACKLOG) {
                leave(member, "* " + members.get(member) + " dropped (not reading)\n", false);
            } else {
                member.write(bytes);
            }
        }
    }

    /** Removes {@code bev}; {@code flush}: close it once what is queued for it has gone out, else at once. */
    private void leave(Bufferevent bev, String notice, boolean flush) {
        if (members.remove(bev) != null) {
            if (flush) {
                bev.closeAfterFlush();
            } else {
                bev.free();
            }
            broadcast(null, notice);
        }
    }

    /** Stops accepting and frees every member's connection. Callback thread only ({@code base.execute} from elsewhere). */
    @Override
    public void close() {
        listener.free();
        for (Bufferevent member : members.keySet()) {
            member.free();
        }
        members.clear();
    }

    /**
     * Serves until killed.
     *
     * @param args {@code [port]}
     */
    public static void main(String[] args) {
        Examples.exitOnFailure(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        EventBase base = EventBase.create();
        ChatServer server = new ChatServer(base, Args.loopback(Args.port(args, 0, "port", DEFAULT_PORT)));
        out.println("Listening on " + Args.hostPort(server.localAddress()));
        base.dispatch();
        base.free();
        return 0;
    }
}
