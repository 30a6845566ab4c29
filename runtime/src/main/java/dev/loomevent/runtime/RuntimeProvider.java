package dev.loomevent.runtime;

import dev.loomevent.api.AcceptCallback;
import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.DnsResolver;
import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import dev.loomevent.api.EventBaseGroup;
import dev.loomevent.api.Listener;
import dev.loomevent.api.ListenerOption;
import dev.loomevent.api.spi.LoomeventProvider;
import dev.loomevent.api.stats.StatisticsRegistry;
import dev.loomevent.runtime.internal.base.EventBaseGroupImpl;
import dev.loomevent.runtime.internal.base.EventBaseImpl;
import dev.loomevent.runtime.internal.bev.SocketOps;
import dev.loomevent.runtime.internal.buffer.ChainEvbuffer;
import dev.loomevent.runtime.internal.dns.SystemResolver;
import dev.loomevent.runtime.internal.listener.ListenerImpl;
import dev.loomevent.runtime.internal.stats.Registry;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The engine's entry point, found by {@link java.util.ServiceLoader} through the API's static
 * factories. User code does not call it.
 * <p>Any thread; stateless.
 */
public final class RuntimeProvider implements LoomeventProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public RuntimeProvider() {
    }

    @Override
    public EventBase newEventBase(EventBaseConfig config) {
        return new EventBaseImpl(config);
    }

    @Override
    public EventBase currentBase() {
        return EventBaseImpl.current();
    }

    @Override
    public EventBaseGroup newEventBaseGroup(int n, EventBaseConfig template) {
        return new EventBaseGroupImpl(n, template);
    }

    @Override
    public Evbuffer newEvbuffer() {
        return new ChainEvbuffer();
    }

    @Override
    public Bufferevent newSocketBufferevent(EventBase base, SocketChannel channel, Set<BevOption> options) {
        return SocketOps.create(base, channel, options);
    }

    @Override
    public Listener bindListener(EventBase base, EventBaseGroup group, EventBaseGroup.Distribution distribution,
                                 AcceptCallback callback, Object arg, Set<ListenerOption> options, int backlog,
                                 SocketAddress address) {
        return ListenerImpl.bind(base, group, distribution, callback, arg, options, backlog, address);
    }

    @Override
    public Listener wrapListener(EventBase base, ServerSocketChannel channel, AcceptCallback callback, Object arg,
                                 Set<ListenerOption> options, int backlog) {
        return ListenerImpl.wrap(base, channel, callback, arg, options, backlog);
    }

    @Override
    public DnsResolver systemResolver() {
        return SystemResolver.INSTANCE;
    }

    @Override
    public StatisticsRegistry statistics() {
        return Registry.INSTANCE;
    }

    @Override
    public String version() {
        String v = RuntimeProvider.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    private static UnsupportedOperationException notYet(String what, int issue) {
        return new UnsupportedOperationException(what + " is not implemented yet (issue #" + issue + ")");
    }
}
