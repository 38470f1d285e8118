package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShares;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** A whole SecAgg+ round run in one process: a server, its clients, and clients that drop out at chosen stages. */
final class InProcessRound {
    /** Who stops answering after which stage; a client that drops stays silent for the rest of the round. */
    record Dropouts(Set<Integer> beforeAdvertise, Set<Integer> afterAdvertise, Set<Integer> afterShare,
                    Set<Integer> afterMaskedInput) {
        static Dropouts none() {
            return new Dropouts(Set.of(), Set.of(), Set.of(), Set.of());
        }

        boolean reachesMaskedInput(int client) {
            return !beforeAdvertise.contains(client) && !afterAdvertise.contains(client)
                    && !afterShare.contains(client);
        }
    }

    final RoundConfig config;
    final SecureAggregator server;
    final Map<Integer, SecAggClient> clients = new TreeMap<>();
    final List<MaskedInput> maskedInputs = new ArrayList<>();

    InProcessRound(RoundConfig config) {
        this(config, new SecureAggregator(config));
    }

    InProcessRound(RoundConfig config, SecureAggregator server) {
        this.config = config;
        this.server = server;
        SecureRandom random = new SecureRandom();
        config.clients().forEach(id -> clients.put(id, new SecAggClient(config, id, random)));
    }

    static RoundConfig config(int clientCount, int neighbours, int threshold, int vectorLength, double clip,
                              long graphSeed) {
        byte[] seed = new byte[MaskExpansion.SEED_BYTES];
        new Random(graphSeed).nextBytes(seed);
        return new RoundConfig(7, IntStream.range(0, clientCount).boxed().toList(), vectorLength, neighbours,
                threshold, clip, seed);
    }

    static Map<Integer, float[]> randomUpdates(RoundConfig config, double spread, long seed) {
        Random random = new Random(seed);
        Map<Integer, float[]> updates = new TreeMap<>();
        for (int id : config.clients()) {
            float[] update = new float[config.vectorLength()];
            for (int i = 0; i < update.length; i++) {
                update[i] = (float) ((2 * random.nextDouble() - 1) * spread);
            }
            updates.put(id, update);
        }
        return updates;
    }

    AggregateSum run(Map<Integer, float[]> updates, Dropouts dropouts) {
        for (SecAggClient client : clients.values()) {
            if (!dropouts.beforeAdvertise().contains(client.id())) {
                server.acceptKeys(client.advertiseKeys());
            }
        }
        Map<Integer, NeighbourKeys> keys = server.closeAdvertising();
        keys.forEach((id, message) -> {
            if (!dropouts.afterAdvertise().contains(id)) {
                EncryptedShares shares = clients.get(id).shareKeys(message);
                server.acceptShares(shares);
            }
        });
        Map<Integer, ForwardedShares> forwarded = server.closeSharing();
        forwarded.forEach((id, message) -> {
            if (dropouts.reachesMaskedInput(id)) {
                MaskedInput input = clients.get(id).maskInput(message, updates.get(id));
                maskedInputs.add(input);
                // Carried as the little-endian bytes a transport sends, so the server folds what it would receive.
                byte[] wire = input.update().toLittleEndianBytes();
                server.acceptMaskedInput(new MaskedInput(id, MaskedUpdate.fromLittleEndianBytes(wire)));
            }
        });
        Map<Integer, UnmaskingRequest> requests = server.closeMaskedInput();
        requests.forEach((id, request) -> {
            if (!dropouts.afterMaskedInput().contains(id)) {
                server.acceptUnmaskingShares(clients.get(id).unmask(request));
            }
        });
        return server.unmaskSum();
    }

    /** The plain sum, in double, of the clipped updates of {@code contributors}. */
    static double[] clippedSum(Map<Integer, float[]> updates, List<Integer> contributors, double clip) {
        double[] sum = new double[updates.values().iterator().next().length];
        for (int id : contributors) {
            float[] update = updates.get(id);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += Math.max(-clip, Math.min(clip, update[i]));
            }
        }
        return sum;
    }
}
