package dev.loomevent.runtime.internal.dns;

import dev.loomevent.api.DnsResolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default resolver: {@link InetAddress#getAllByName} (the platform's getaddrinfo, hosts file and
 * JDK cache), filtered by family. libevent: {@code evutil_getaddrinfo} with no {@code evdns_base}.
 * <p>Any thread; stateless. Bufferevents call it on a virtual thread, so a slow lookup blocks
 * neither the callback thread nor (beyond the JDK's own compensation) a carrier.
 */
public final class SystemResolver implements DnsResolver {
    /** The one instance. */
    public static final SystemResolver INSTANCE = new SystemResolver();

    private SystemResolver() {
    }

    @Override
    public List<InetAddress> resolve(String host, StandardProtocolFamily family) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        if (family == StandardProtocolFamily.UNIX) {
            throw new IllegalArgumentException("family must be INET, INET6 or null, was " + family);
        }
        InetAddress[] all = InetAddress.getAllByName(host);
        List<InetAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            if (family == null
                    || (family == StandardProtocolFamily.INET && a instanceof Inet4Address)
                    || (family == StandardProtocolFamily.INET6 && a instanceof Inet6Address)) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host + ": no " + family + " address");
        }
        return out;
    }

    @Override
    public String toString() {
        return "SystemResolver";
    }
}
