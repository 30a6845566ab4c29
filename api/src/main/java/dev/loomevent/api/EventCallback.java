package dev.loomevent.api;

/**
 * The callback of an {@link Event}: a timer, a user event or a signal.
 * <p>libevent: {@code event_callback_fn}. Runs on the callback thread of the event's base.
 */
@FunctionalInterface
public interface EventCallback {
    /**
     * Reports that the event fired.
     *
     * @param event the event
     * @param what  why: {@link Ev#TIMEOUT}, {@link Ev#SIGNAL}, or the result given to {@link Event#active}
     * @param arg   the argument given when the event was created
     */
    void onEvent(Event event, int what, Object arg);
}
