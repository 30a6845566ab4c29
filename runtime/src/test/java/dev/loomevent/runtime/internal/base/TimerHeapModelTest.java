package dev.loomevent.runtime.internal.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.api.EventBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Model-based test of the 4-ary heap: random add/remove/changeKey/poll against a TreeSet. */
class TimerHeapModelTest {

    private static final class Node extends TimerNode {
        Node(EventBaseImpl base) {
            super(base, 0, dev.loomevent.api.stats.CallbackKind.TIMER);
        }

        @Override
        void expired(long now) {
        }

        @Override
        protected void fire() {
        }
    }

    @TestFactory
    Stream<DynamicTest> heapAgreesWithASortedModel() {
        long root = System.nanoTime();
        return IntStream.range(0, 20).mapToObj(i -> DynamicTest.dynamicTest("seed " + (root + i), () -> run(root + i)));
    }

    private static void run(long seed) {
        Random r = new Random(seed);
        List<String> ops = new ArrayList<>();
        try (EventBase b = EventBase.create()) {
            EventBaseImpl base = (EventBaseImpl) b;
            TimerHeap heap = new TimerHeap();
            // model orders by key, then by the sequence the heap gave the node
            TreeSet<Node> model = new TreeSet<>(Comparator.<Node>comparingLong(n -> n.key).thenComparingLong(n -> n.seq));
            List<Node> inHeap = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                int op = r.nextInt(10);
                long key = r.nextInt(50) - 25;
                if (op < 4 || inHeap.isEmpty()) {
                    Node n = new Node(base);
                    heap.add(n, key);
                    model.add(n);
                    inHeap.add(n);
                    ops.add("add " + key);
                } else if (op < 6) {
                    Node n = inHeap.remove(r.nextInt(inHeap.size()));
                    model.remove(n);
                    heap.remove(n);
                    ops.add("remove " + n.key);
                } else if (op < 8) {
                    Node n = inHeap.get(r.nextInt(inHeap.size()));
                    model.remove(n);
                    heap.changeKey(n, key);
                    model.add(n);
                    ops.add("change to " + key);
                } else {
                    Node first = model.pollFirst();
                    ops.add("poll");
                    assertThat(heap.peek()).as("seed %d ops %s", seed, ops).isSameAs(first);
                    heap.remove(first);
                    inHeap.remove(first);
                }
                assertThat(heap.size()).as("seed %d ops %s", seed, ops).isEqualTo(model.size());
                assertThat(heap.peek()).as("seed %d ops %s", seed, ops).isSameAs(model.isEmpty() ? null : model.first());
            }
        }
    }
}
