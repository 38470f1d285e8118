package io.callosum.protocol.secagg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The SecAgg+ communication graph: each client masks with, and shares its secrets among, only its {@code k}
 * neighbours instead of all {@code n - 1} others, which makes client work O(k) per parameter rather than O(n).
 *
 * <p>The graph is a ring over a random permutation of the clients, each linked to the {@code k/2} clients on either
 * side, so every client has exactly {@code k} neighbours and the graph is symmetric. The permutation comes from the
 * server's round seed, so server and clients derive the same graph without sending it; with {@code k = n - 1} it is
 * the complete graph of the original SecAgg.
 */
public final class NeighbourGraph {
    private final Map<Integer, SortedSet<Integer>> neighbours;

    private NeighbourGraph(Map<Integer, SortedSet<Integer>> neighbours) {
        this.neighbours = neighbours;
    }

    public static NeighbourGraph of(RoundConfig config) {
        List<Integer> ring = shuffled(config.clients(), config.graphSeed());
        int n = ring.size();
        int k = config.neighbours();
        Map<Integer, SortedSet<Integer>> neighbours = new HashMap<>();
        for (int position = 0; position < n; position++) {
            SortedSet<Integer> linked = new TreeSet<>();
            if (k == n - 1) {
                linked.addAll(ring);
                linked.remove(ring.get(position));
            } else {
                for (int step = 1; step <= k / 2; step++) {
                    linked.add(ring.get((position + step) % n));
                    linked.add(ring.get((position - step + n) % n));
                }
            }
            neighbours.put(ring.get(position), Collections.unmodifiableSortedSet(linked));
        }
        return new NeighbourGraph(neighbours);
    }

    /** The neighbours of {@code client}, in increasing id order. */
    public SortedSet<Integer> neighbours(int client) {
        SortedSet<Integer> linked = neighbours.get(client);
        if (linked == null) {
            throw new IllegalArgumentException("client " + client + " is not in this round");
        }
        return linked;
    }

    public boolean linked(int a, int b) {
        return neighbours(a).contains(b);
    }

    /** Fisher–Yates driven by the AES-CTR stream of the seed, with rejection so every permutation is equally likely. */
    private static List<Integer> shuffled(List<Integer> clients, byte[] seed) {
        List<Integer> order = new ArrayList<>(clients);
        int[] words = MaskExpansion.words(seed, 4 * order.size() + 64);
        int next = 0;
        for (int i = order.size() - 1; i > 0; i--) {
            long bound = i + 1;
            long acceptBelow = (1L << 32) - ((1L << 32) % bound);
            long draw;
            do {
                if (next == words.length) {
                    words = MaskExpansion.words(seed, words.length * 2);
                }
                draw = Integer.toUnsignedLong(words[next++]);
            } while (draw >= acceptBelow);
            Collections.swap(order, i, (int) (draw % bound));
        }
        return order;
    }
}
