package dev.loomevent.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The examples' positional command-line arguments: each example takes a few, in a fixed order, as
 * libevent's samples do.
 * <p>Immutable (static helpers only).
 */
final class Args {
    private Args() {
    }

    /**
     * Returns {@code args[index]} as an int in {@code min..max}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException naming the argument and its value when it is not such an int
     */
    static int integer(String[] args, int index, String name, int fallback, int min, int max) {
        if (args.length <= index) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(args[index]);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the range, which says more than the parser's message
        }
        throw new IllegalArgumentException(name + " must be an integer in " + min + ".." + max + ", was '" + args[index] + "'");
    }

    /** Returns {@code args[index]} as a port (0: any free port), or {@code fallback} when absent. */
    static int port(String[] args, int index, String name, int fallback) {
        return integer(args, index, name, fallback, 0, 65535);
    }

    /** Returns {@code args[index]}, or {@code fallback} when absent. */
    static String string(String[] args, int index, String fallback) {
        return args.length > index ? args[index] : fallback;
    }

    /** The loopback address and {@code port}: examples listen on loopback only, so running one exposes nothing. */
    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Renders {@code address} as {@code host:port} without {@link InetSocketAddress}'s leading slash. */
    static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
