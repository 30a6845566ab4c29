package dev.loomevent.loadtest.scenario;

import java.util.List;

/**
 * One kind of traffic of a run: its sessions and the parts they record into.
 * <p>Runner thread, except where a method says otherwise.
 */
abstract class Workload {
    final Ctx ctx;

    Workload(Ctx ctx) {
        this.ctx = ctx;
    }

    /** Returns the parts this workload records into. */
    abstract List<Part> parts();

    /** Registers every session with the run control, then starts connecting (asynchronously). */
    abstract void start();

    /** Called after the run control stopped: closes the sessions that owe nothing. */
    abstract void stop();

    /** Creates the workload of {@code config} (mixed: several). */
    static List<Workload> of(Ctx ctx) {
        ScenarioConfig c = ctx.config;
        return switch (c.scenario()) {
            case PINGPONG -> List.of(new PingPong(ctx, new Part("pingpong"), c.connections(), c.size()));
            case RATE -> List.of(new OpenLoop(ctx, new Part("rate"), c.connections(), c.size(), c.rate()));
            case STREAM -> List.of(new Stream(ctx, new Part("stream"), c.connections(), c.size(), c.window()));
            case CHURN -> List.of(new Churn(ctx, new Part("churn"), c.connections(), c.size()));
            case IDLE -> List.of(new Idle(ctx, new Part("idle"), c.connections(), c.size()));
            case MIXED -> mixed(ctx, c);
        };
    }

    private static List<Workload> mixed(Ctx ctx, ScenarioConfig c) {
        int rateConns = Math.max(1, c.connections() / 4);
        var list = new java.util.ArrayList<Workload>(List.of(
                new PingPong(ctx, new Part("pingpong"), c.connections(), c.size()),
                new OpenLoop(ctx, new Part("rate"), rateConns, c.size(), c.rate()),
                new Stream(ctx, new Part("stream"), 2, 16384, c.window()),
                new Churn(ctx, new Part("churn"), 2, c.size())));
        if (c.idleConnections() > 0) {
            list.add(new Idle(ctx, new Part("idle"), c.idleConnections(), c.size()));
        }
        return list;
    }
}
