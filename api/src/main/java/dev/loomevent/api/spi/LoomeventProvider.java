package dev.loomevent.api.spi;

import dev.loomevent.api.AcceptCallback;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.stats.StatisticsRegistry;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The engine behind the API, found with {@link java.util.ServiceLoader}; {@code loomevent-runtime}
 * provides it. Not for user code: the static factories of the API types call it.
 * <p>libevent has no counterpart (its engine is linked in); each method maps to what the factory
 * it backs maps to.
 * <p>Implementations: any thread, for every method.
 */
public interface LoomeventProvider {
    /** Backs {@link EventBase#create(EventBaseConfig)}. */
    EventBase newEventBase(EventBaseConfig config);

    /** Backs {@link EventBase#current()}. */
    EventBase currentBase();

    /** Backs {@link EventBaseGroup#create(int, EventBaseConfig)}. */
    EventBaseGroup newEventBaseGroup(int n, EventBaseConfig template);

    /** Backs {@link Evbuffer#create()}. */
    Evbuffer newEvbuffer();

    /** Backs {@link Bufferevent#socket}. */
    Bufferevent newSocketBufferevent(EventBase base, SocketChannel channel, Set<BevOption> options);

    /** Backs both {@code Listener.bind} forms: exactly one of {@code base} and {@code group} is non-null. */
    Listener bindListener(EventBase base, EventBaseGroup group, EventBaseGroup.Distribution distribution,
                          AcceptCallback callback, Object arg, Set<ListenerOption> options, int backlog,
                          SocketAddress address);

    /** Backs {@link Listener#wrap}. */
    Listener wrapListener(EventBase base, ServerSocketChannel channel, AcceptCallback callback, Object arg,
                          Set<ListenerOption> options, int backlog);

    /** Backs {@link DnsResolver#system()}. */
    DnsResolver systemResolver();

    /** Backs {@link dev.loomevent.api.Loomevent#statistics()}. */
    StatisticsRegistry statistics();

    /** Backs {@link dev.loomevent.api.Loomevent#version()}. */
    String version();
}
