package dev.loomevent.runtime.internal.base;

import dev.loomevent.api.stats.CallbackKind;

/**
 * The timer behind {@link CallbackScheduler#schedule} (armed once) and
 * {@link CallbackScheduler#newTimer} (armed again and again): when it comes due its task runs on the
 * callback thread as an active callback of the base's default priority.
 * <p>Any thread arms and cancels; the task runs on the callback thread.
 */
final class ScheduledTimer extends TimerNode implements CallbackScheduler.RearmableTimer {
    private final Runnable task;

    ScheduledTimer(EventBaseImpl base, int priority, Runnable task) {
        super(base, priority, CallbackKind.TIMER);
        this.task = task;
    }

    @Override
    public void rearm(long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
        }
        arm(base.nanoTime() + delayNanos);
    }

    @Override
    public boolean isArmed() {
        int s = state();
        return s == ARMED || s == EXPIRED;
    }

    @Override
    public boolean cancel() {
        return disarm() != IDLE;
    }

    @Override
    void expired(long now) {
        base.activate(this);
    }

    @Override
    protected void fire() {
        if (consumeExpiry()) {
            task.run();
        }
    }

    @Override
    public String toString() {
        return "ScheduledTimer[" + task + ", state=" + state() + "]";
    }
}
