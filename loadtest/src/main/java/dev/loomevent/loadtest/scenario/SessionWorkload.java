package dev.loomevent.loadtest.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A workload of one part whose sessions are all created up front: they connect at start and, at
 * stop, those that owe nothing close. Ping-pong, open loop, stream and idle differ only in their
 * sessions.
 * <p>Runner thread, except where a method says otherwise.
 *
 * @param <S> the workload's session type
 */
abstract class SessionWorkload<S extends EchoSession> extends Workload {
    final Part part;
    /** Filled by the subclass's constructor. */
    final List<S> sessions = new ArrayList<>();

    SessionWorkload(Ctx ctx, Part part) {
        super(ctx);
        this.part = part;
    }

    @Override
    List<Part> parts() {
        return List.of(part);
    }

    @Override
    void start() {
        ctx.connectAll(sessions);
    }

    @Override
    void stop() {
        sessions.forEach(EchoSession::closeIfQuiet);
    }
}
