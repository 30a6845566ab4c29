/**
 * loomevent's engine. Only the provider's package is exported; the engine lives in
 * {@code dev.loomevent.runtime.internal.*}. User code reaches it through {@code dev.loomevent.api}.
 */
module dev.loomevent.runtime {
    requires transitive dev.loomevent.api;
    requires org.jctools.core;
    requires jdk.unsupported;
    requires jdk.jfr;

    exports dev.loomevent.runtime;

    provides dev.loomevent.api.spi.LoomeventProvider with dev.loomevent.runtime.RuntimeProvider;
}
