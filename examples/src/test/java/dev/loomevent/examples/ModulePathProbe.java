package dev.loomevent.examples;

import dev.loomevent.api.Evbuffer;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.Loomevent;
import java.nio.charset.StandardCharsets;

/**
 * User code that knows only the API: run by {@link ModulePathTest} with {@code loomevent-api} and
 * {@code loomevent-runtime} as named modules, it must find the engine through the service loader.
 * <p>Main thread only.
 */
final class ModulePathProbe {
    private ModulePathProbe() {
    }

    public static void main(String[] args) {
        try (EventBase base = EventBase.create(); Evbuffer buffer = Evbuffer.create()) {
            buffer.add("hello".getBytes(StandardCharsets.US_ASCII));
            boolean[] ran = new boolean[1];
            base.once(0, null, (event, what, arg) -> ran[0] = true, null);
            base.dispatch();
            System.out.println("engine " + Loomevent.version() + " in module " + base.getClass().getModule().getName()
                    + ", api in module " + EventBase.class.getModule().getName()
                    + ", buffered " + buffer.length() + ", timer ran " + ran[0]);
        }
    }
}
