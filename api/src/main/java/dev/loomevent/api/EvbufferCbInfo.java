package dev.loomevent.api;

/**
 * What changed in an {@link Evbuffer}, as its change callbacks are told.
 * <p>libevent: {@code struct evbuffer_cb_info}.
 * <p>Immutable.
 *
 * @param origSize the length before the change(s) being reported
 * @param nAdded   bytes added since the callback last ran
 * @param nDeleted bytes removed since the callback last ran
 */
public record EvbufferCbInfo(long origSize, long nAdded, long nDeleted) {
}
