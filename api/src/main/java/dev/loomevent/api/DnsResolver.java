package dev.loomevent.api;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves host names for {@link Bufferevent#connectHostname}.
 * <p>libevent: {@code struct evdns_base}. The default resolves with {@link InetAddress} on a virtual
 * thread, so neither a carrier nor the callback thread is blocked.
 * <p>Implementations: any thread; {@link #resolve} is called on a virtual thread.
 */
@FunctionalInterface
public interface DnsResolver {
    /** libevent: {@code EVUTIL_EAI_NONAME}: the name does not resolve. */
    int EAI_NONAME = -2;
    /** libevent: {@code EVUTIL_EAI_FAIL}: the resolver failed. */
    int EAI_FAIL = -4;
    /** libevent: {@code EVUTIL_EAI_CANCEL}: the lookup was cancelled. */
    int EAI_CANCEL = -90001;

    /** The default resolver: {@link InetAddress#getAllByName} on the calling (virtual) thread. */
    static DnsResolver system() {
        return ProviderHolder.provider().systemResolver();
    }

    /**
     * Resolves {@code host}, keeping only addresses of {@code family} when it is not null.
     * libevent: {@code evutil_getaddrinfo} / {@code evdns_getaddrinfo}. Called on a virtual thread.
     *
     * @return the addresses, first to be tried first; never empty
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host, StandardProtocolFamily family) throws UnknownHostException;
}
