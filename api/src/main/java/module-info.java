/**
 * loomevent's public API: libevent's bufferevent model on virtual threads.
 * <p>User code compiles against this module alone and finds the engine ({@code dev.loomevent.runtime})
 * at run time through {@link java.util.ServiceLoader}.
 */
module dev.loomevent.api {
    exports dev.loomevent.api;
    exports dev.loomevent.api.stats;
    exports dev.loomevent.api.spi to dev.loomevent.runtime;

    uses dev.loomevent.api.spi.LoomeventProvider;
}
