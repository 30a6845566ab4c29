package dev.loomevent.api;

/**
 * A bufferevent's read or write callback.
 * <p>libevent: {@code bufferevent_data_cb}. Runs on the callback thread of the bufferevent's base.
 */
@FunctionalInterface
public interface DataCallback {
    /**
     * Reports that the input reached its read low-watermark (read callback) or that the output
     * drained to its write low-watermark (write callback).
     *
     * @param bev the bufferevent
     * @param arg the argument given to {@link Bufferevent#setCallbacks}
     */
    void onData(Bufferevent bev, Object arg);
}
