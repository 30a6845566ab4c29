package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.Ev;
import dev.loomevent.api.Event;
import dev.loomevent.api.EventBase;
import dev.loomevent.api.EventBaseConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Model-based test of the order in which a base runs callbacks: random events with random
 * priorities, activated from outside and from each other's callbacks, plus deferred tasks, run by
 * dispatch() and by a small model of libevent's rules (the most urgent non-empty queue per round, at
 * most maxDispatchCallbacks, a more urgent activation ends the round, deferred work waits for the
 * next round, an activation already queued is coalesced). Prints the seed and the script on failure.
 */
class LoopModelTest {

    /** An action a callback takes: activate event {@code target}, or defer a task tagged {@code target}. */
    private record Action(boolean defer, int target) {
        @Override
        public String toString() {
            return (defer ? "defer d" : "activate e") + target;
        }
    }

    private record Script(int priorities, int maxDispatch, int[] eventPriority, List<Integer> initial,
                          Map<String, List<Action>> actions) {
        List<Action> actionsOf(int event, int firing) {
            return actions.getOrDefault(event + "#" + firing, List.of());
        }

        @Override
        public String toString() {
            return "priorities=" + priorities + " max=" + maxDispatch + " eventPriority="
                    + java.util.Arrays.toString(eventPriority) + " initial=" + initial + " actions=" + actions;
        }
    }

    @TestFactory
    Stream<DynamicTest> callbacksRunInTheOrderOfTheModel() {
        long root = System.nanoTime();
        return IntStream.range(0, 200).mapToObj(i -> DynamicTest.dynamicTest("seed " + (root + i), () -> check(root + i)));
    }

    private static Script script(long seed) {
        Random r = new Random(seed);
        int priorities = 1 + r.nextInt(4);
        int max = 1 + r.nextInt(5);
        int events = 1 + r.nextInt(6);
        int[] prio = new int[events];
        for (int i = 0; i < events; i++) {
            prio[i] = r.nextInt(priorities);
        }
        List<Integer> initial = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            initial.add(r.nextInt(events));
        }
        Map<String, List<Action>> actions = new HashMap<>();
        int tags = 0;
        for (int e = 0; e < events; e++) {
            for (int firing = 0; firing < 3; firing++) {
                List<Action> list = new ArrayList<>();
                for (int k = r.nextInt(3); k > 0; k--) {
                    list.add(r.nextBoolean() ? new Action(true, tags++) : new Action(false, r.nextInt(events)));
                }
                actions.put(e + "#" + firing, list);
            }
        }
        return new Script(priorities, max, prio, initial, actions);
    }

    private static void check(long seed) {
        Script s = script(seed);
        assertThat(runBase(s)).as("seed %d, script %s", seed, s).isEqualTo(runModel(s));
    }

    private static List<String> runBase(Script s) {
        List<String> log = new ArrayList<>();
        try (EventBase base = EventBase.create(EventBaseConfig.DEFAULT.withPriorities(s.priorities())
                .withMaxDispatchCallbacks(s.maxDispatch()))) {
            int n = s.eventPriority().length;
            Event[] events = new Event[n];
            int[] fired = new int[n];
            for (int i = 0; i < n; i++) {
                int id = i;
                events[i] = base.newEvent(0, (e, w, a) -> {
                    log.add("e" + id);
                    for (Action act : s.actionsOf(id, fired[id]++)) {
                        if (act.defer()) {
                            base.execute(() -> log.add("d" + act.target()));
                        } else {
                            events[act.target()].active(Ev.TIMEOUT);
                        }
                    }
                }, null);
                events[i].setPriority(s.eventPriority()[i]);
            }
            for (int id : s.initial()) {
                events[id].active(Ev.TIMEOUT);
            }
            assertThat(base.dispatch()).isEqualTo(1);
        }
        return log;
    }

    private static List<String> runModel(Script s) {
        int n = s.eventPriority().length;
        List<ArrayDeque<String>> queues = new ArrayList<>();
        for (int p = 0; p < s.priorities(); p++) {
            queues.add(new ArrayDeque<>());
        }
        ArrayDeque<String> later = new ArrayDeque<>();
        Set<Integer> queued = new HashSet<>();
        int[] fired = new int[n];
        List<String> log = new ArrayList<>();
        for (int id : s.initial()) {
            if (queued.add(id)) {
                queues.get(s.eventPriority()[id]).add("e" + id);
            }
        }
        while (true) {
            while (!later.isEmpty()) {
                queues.get(s.priorities() / 2).add(later.poll());
            }
            int p = 0;
            while (p < s.priorities() && queues.get(p).isEmpty()) {
                p++;
            }
            if (p == s.priorities()) {
                return log;
            }
            ArrayDeque<String> q = queues.get(p);
            for (int count = 0; count < s.maxDispatch() && !q.isEmpty(); count++) {
                String item = q.poll();
                log.add(item);
                boolean moreUrgent = false;
                if (item.startsWith("e")) {
                    int id = Integer.parseInt(item.substring(1));
                    queued.remove(id);
                    for (Action act : s.actionsOf(id, fired[id]++)) {
                        if (act.defer()) {
                            later.add("d" + act.target());
                        } else if (queued.add(act.target())) {
                            int tp = s.eventPriority()[act.target()];
                            queues.get(tp).add("e" + act.target());
                            moreUrgent |= tp < p;
                        }
                    }
                }
                if (moreUrgent) {
                    break;
                }
            }
        }
    }
}
