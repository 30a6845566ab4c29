package dev.loomevent.loadtest.target;

import dev.loomevent.api.BevOption;
import dev.loomevent.api.Bufferevent;
import dev.loomevent.api.EventBase;
import java.util.EnumSet;

/**
 * Tells whether this build has loomevent's engine (event bases and socket bufferevents), so the
 * demo can say so plainly instead of failing deep inside a server.
 * <p>Any thread.
 */
public final class Engine {
    private Engine() {
    }

    /** Returns null when the engine can run an echo server, else why not. */
    public static String missing() {
        try {
            EventBase base = EventBase.create();
            try {
                Bufferevent.socket(base, null, EnumSet.of(BevOption.CLOSE_ON_FREE)).free();
            } finally {
                base.free();
            }
            return null;
        } catch (UnsupportedOperationException | LinkageError e) {
            return String.valueOf(e.getMessage());
        }
    }
}
