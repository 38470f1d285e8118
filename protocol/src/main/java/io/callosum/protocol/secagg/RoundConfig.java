package io.callosum.protocol.secagg;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the server fixes for one secure-aggregation round and every client must agree on: the round id (bound into
 * every derived key, so nothing carries over between rounds), the selected clients, the length of the quantized
 * vector, the neighbour count {@code k} and Shamir threshold {@code t}, the clipping bound and the seed of the
 * neighbour graph.
 *
 * <p>Each client shares its secrets among its {@code k} neighbours and itself ({@code k + 1} holders, as SecAgg
 * shares among all clients including the owner), so a round with the complete graph survives up to {@code n - t}
 * dropouts. {@code 2t > k + 1} is required: an honest holder reveals, per peer, either the self-mask share or the
 * masking-key share, never both, and an owner never reveals its own masking-key share, so a server wanting both
 * kinds for one client would need two disjoint groups of {@code t} holders, impossible among {@code k + 1} when
 * {@code 2t > k + 1} (with the complete graph this is SecAgg's {@code t > n/2}). {@code t >= 2}, so no single
 * client's input is ever released alone.
 *
 * @param clients distinct client ids, {@code >= 0}, in increasing order (shares are evaluated at id + 1)
 */
public record RoundConfig(int round, List<Integer> clients, int vectorLength, int neighbours, int threshold,
                          double clip, byte[] graphSeed) {

    public RoundConfig {
        clients = List.copyOf(clients);
        graphSeed = graphSeed.clone();
        if (clients.size() < 2) {
            throw new IllegalArgumentException("secure aggregation needs at least 2 clients, got " + clients.size());
        }
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i) < 0 || (i > 0 && clients.get(i) <= clients.get(i - 1))) {
                throw new IllegalArgumentException("client ids must be distinct, >= 0 and increasing: " + clients);
            }
        }
        if (vectorLength <= 0) {
            throw new IllegalArgumentException("vector length must be positive, got " + vectorLength);
        }
        int n = clients.size();
        boolean complete = neighbours == n - 1;
        if (!complete && (neighbours < 2 || neighbours % 2 != 0 || neighbours > n - 1)) {
            throw new IllegalArgumentException("neighbours must be even and in [2, " + (n - 1) + "], or exactly "
                    + (n - 1) + " (every other client), got " + neighbours);
        }
        if (threshold < 2 || threshold > neighbours || 2 * threshold <= neighbours + 1) {
            throw new IllegalArgumentException("threshold must satisfy 2 <= t <= k and 2t > k + 1 (k = " + neighbours
                    + "), got t = " + threshold);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping bound must be positive and finite, got " + clip);
        }
        if (graphSeed.length != MaskExpansion.SEED_BYTES) {
            throw new IllegalArgumentException("graph seed must have " + MaskExpansion.SEED_BYTES + " bytes, got "
                    + graphSeed.length);
        }
    }

    /**
     * The smallest even {@code k >= log2 n} (SecAgg+ needs only logarithmically many neighbours), or every other
     * client when that is no fewer.
     */
    public static int recommendedNeighbours(int clientCount) {
        int k = Math.max(2, (int) Math.ceil(Math.log(clientCount) / Math.log(2)));
        k += k % 2;
        return Math.min(k, clientCount - 1);
    }

    /** The smallest threshold allowed for {@code k} neighbours: it tolerates the most dropped neighbours. */
    public static int minimumThreshold(int neighbours) {
        return Math.max(2, (neighbours + 1) / 2 + 1);
    }

    public boolean isClient(int id) {
        return Collections.binarySearch(clients, id) >= 0;
    }

    public FixedPointQuantizer quantizer() {
        return new FixedPointQuantizer(clip, clients.size());
    }

    @Override
    public byte[] graphSeed() {
        return graphSeed.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RoundConfig that && round == that.round && clients.equals(that.clients)
                && vectorLength == that.vectorLength && neighbours == that.neighbours && threshold == that.threshold
                && Double.compare(clip, that.clip) == 0 && Arrays.equals(graphSeed, that.graphSeed);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(round, clients, vectorLength, neighbours, threshold, clip)
                + Arrays.hashCode(graphSeed);
    }

    @Override
    public String toString() {
        return "RoundConfig[round=" + round + ", clients=" + clients.size() + ", vectorLength=" + vectorLength
                + ", k=" + neighbours + ", t=" + threshold + ", clip=" + clip + "]";
    }
}
