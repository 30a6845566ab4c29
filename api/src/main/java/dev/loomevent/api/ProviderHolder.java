package dev.loomevent.api;

import dev.loomevent.api.spi.LoomeventProvider;
import java.util.ServiceLoader;

/** Finds the engine once, lazily. Immutable after class initialisation. */
final class ProviderHolder {
    private static final LoomeventProvider PROVIDER = load();

    private ProviderHolder() {
    }

    static LoomeventProvider provider() {
        return PROVIDER;
    }

    private static LoomeventProvider load() {
        return ServiceLoader.load(LoomeventProvider.class, LoomeventProvider.class.getClassLoader())
                .findFirst()
                .or(() -> ServiceLoader.load(LoomeventProvider.class).findFirst())
                .orElseThrow(() -> new IllegalStateException(
                        "no loomevent engine found: put loomevent-runtime (dev.loomevent:loomevent-runtime) "
                                + "on the class path or module path"));
    }
}
