package dev.loomevent.loadtest.client;

import java.util.List;

/**
 * Creates client transports by name.
 * <p>Any thread.
 */
public final class ClientTransports {
    /**
     * The transports' names: {@code nio} (one selector thread), {@code socket} (blocking channels on
     * virtual threads), {@code loomevent} (loomevent's bufferevents).
     */
    public static final List<String> NAMES = List.of("nio", "socket", "loomevent");

    private ClientTransports() {
    }

    /**
     * Creates the transport {@code name}.
     *
     * @param readBufferSize the bytes one read may deliver
     * @throws IllegalArgumentException if {@code name} is unknown
     * @throws IllegalStateException    if the loomevent engine is not available
     */
    public static ClientTransport create(String name, int readBufferSize) {
        return switch (name) {
            case "nio" -> new NioTransport(readBufferSize);
            case "socket" -> new SocketTransport(readBufferSize);
            case "loomevent" -> {
                try {
                    yield new BuffereventTransport(readBufferSize);
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException("the loomevent client transport needs loomevent's engine, which "
                            + "this build does not have yet (" + e.getMessage() + "); use --client socket", e);
                }
            }
            default -> throw new IllegalArgumentException("unknown client transport '" + name + "' (" + NAMES + ")");
        };
    }

    /** Returns the read buffer a run with {@code messageSize}-byte messages needs: at least one message, at most 64 KiB. */
    public static int readBufferFor(int messageSize) {
        return Math.min(65536, Math.max(256, messageSize));
    }
}
