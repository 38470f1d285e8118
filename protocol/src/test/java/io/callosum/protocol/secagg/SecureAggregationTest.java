package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.InProcessRound.Dropouts;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole rounds in one process: the released sum against the plain sum of the same clipped updates. */
class SecureAggregationTest {

    @Test
    void sumOverTheCompleteGraphEqualsThePlainSumWithinTheQuantizationBound() {
        RoundConfig config = InProcessRound.config(10, 9, 6, 2_000, 1.0, 1);
        // Spread beyond the clipping bound, so that clipping is exercised too.
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 1.5, 2);
        AggregateSum result = new InProcessRound(config).run(updates, Dropouts.none());

        assertEquals(config.clients(), result.contributors());
        assertEquals(List.of(), result.dropped());
        assertWithinBound(config, InProcessRound.clippedSum(updates, result.contributors(), 1.0), result.sum(), 10);
    }

    @Test
    void sumOverASparseGraphEqualsThePlainSum() {
        int n = 20;
        int k = RoundConfig.recommendedNeighbours(n);
        RoundConfig config = InProcessRound.config(n, k, RoundConfig.minimumThreshold(k), 1_000, 0.5, 3);
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 0.5, 4);
        AggregateSum result = new InProcessRound(config).run(updates, Dropouts.none());

        assertEquals(6, k);
        assertWithinBound(config, InProcessRound.clippedSum(updates, config.clients(), 0.5), result.sum(), n);
    }

    /** Masks are removed and the sum dequantized chunk by chunk, each thread over its own range: all of them count. */
    @Test
    void aVectorOfManyChunksUnmaskedOnSeveralThreadsEqualsThePlainSum() {
        RoundConfig config = InProcessRound.config(8, 4, 3, 5 * 4096 + 13, 1.0, 15);
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 1.0, 16);
        Dropouts dropouts = new Dropouts(Set.of(), Set.of(), Set.of(2), Set.of());
        AggregateSum result = new InProcessRound(config, new SecureAggregator(config, 3)).run(updates, dropouts);

        assertEquals(List.of(2), result.dropped());
        assertWithinBound(config, InProcessRound.clippedSum(updates, result.contributors(), 1.0), result.sum(), 7);
    }

    @Test
    void meanIsTheSumOverTheContributors() {
        RoundConfig config = InProcessRound.config(8, 4, 3, 500, 2.0, 5);
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 1.0, 6);
        AggregateSum result = new InProcessRound(config).run(updates, Dropouts.none());

        double[] sum = InProcessRound.clippedSum(updates, config.clients(), 2.0);
        float[] mean = result.mean();
        double bound = config.quantizer().sumErrorBound(8) / 8;
        for (int i = 0; i < mean.length; i++) {
            assertEquals(sum[i] / 8, mean[i], bound + Math.ulp(mean[i]), "value " + i);
        }
    }

    /** Complete graph, n = 10, t = 6: up to n - t = 4 clients may drop, at any stage or spread over several. */
    @ParameterizedTest(name = "dropped before advertise {0}, after advertise {1}, after share {2}, after masked input {3}")
    @CsvSource({
            "'0 1 2 3', '', '', ''",
            "'', '2 5 7 9', '', ''",
            "'', '', '0 3 4 8', ''",
            "'', '', '', '1 2 6 9'",
            "'4', '0', '9 3', ''",
            "'', '1', '5', '6 7'"})
    void survivorsSumIsRecoveredAfterDropoutsUpToNMinusT(String before, String afterAdvertise, String afterShare,
                                                          String afterMaskedInput) {
        RoundConfig config = InProcessRound.config(10, 9, 6, 1_000, 1.0, 7);
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 1.0, 8);
        Dropouts dropouts = new Dropouts(ids(before), ids(afterAdvertise), ids(afterShare), ids(afterMaskedInput));
        AggregateSum result = new InProcessRound(config).run(updates, dropouts);

        List<Integer> expected = config.clients().stream().filter(dropouts::reachesMaskedInput).toList();
        assertEquals(expected, result.contributors());
        assertEquals(List.copyOf(new TreeSet<>(dropouts.afterShare())), result.dropped(),
                "masking keys are rebuilt exactly for the clients that shared keys and then dropped");
        assertWithinBound(config, InProcessRound.clippedSum(updates, expected, 1.0), result.sum(), expected.size());
    }

    /** Sparse graph, n = 20, k = 8, t = 5: every holder set of k + 1 clients keeps at least t after 3 dropouts. */
    @Test
    void sparseGraphRecoversTheSumAfterDropoutsAtEveryStage() {
        RoundConfig config = InProcessRound.config(20, 8, 5, 1_000, 1.0, 9);
        Map<Integer, float[]> updates = InProcessRound.randomUpdates(config, 1.0, 10);
        Dropouts dropouts = new Dropouts(Set.of(), Set.of(3), Set.of(11), Set.of(17));
        AggregateSum result = new InProcessRound(config).run(updates, dropouts);

        List<Integer> expected = config.clients().stream().filter(dropouts::reachesMaskedInput).toList();
        assertEquals(18, expected.size());
        assertWithinBound(config, InProcessRound.clippedSum(updates, expected, 1.0), result.sum(), 18);
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource({
            "'0 1 2 3 4', '', '', '', ADVERTISE_KEYS, '5 of 10 clients advertised keys, fewer than the threshold 6'",
            "'', '0 1 2 3 4', '', '', SHARE_KEYS, '5 of 10 clients shared keys, fewer than the threshold 6'",
            "'', '', '0 1 2 3 4', '', MASKED_INPUT, '5 of 10 clients sent masked inputs, fewer than the threshold 6'",
            "'', '', '', '0 1 2 3 4', UNMASKING, '5 of 10 survivors revealed shares, fewer than the threshold 6'"})
    void fewerThanTSurvivorsAbortsNamingTheStageAndTheCounts(String before, String afterAdvertise, String afterShare,
                                                             String afterMaskedInput, SecAggStage stage,
                                                             String counts) {
        RoundConfig config = InProcessRound.config(10, 9, 6, 100, 1.0, 11);
        InProcessRound round = new InProcessRound(config);
        Dropouts dropouts = new Dropouts(ids(before), ids(afterAdvertise), ids(afterShare), ids(afterMaskedInput));
        SecAggAbortedException aborted = assertThrows(SecAggAbortedException.class,
                () -> round.run(InProcessRound.randomUpdates(config, 1.0, 12), dropouts));

        assertEquals(stage, aborted.stage());
        assertTrue(aborted.getMessage().contains(counts), aborted.getMessage());
        IllegalStateException over = assertThrows(IllegalStateException.class, round.server::unmaskSum);
        assertTrue(over.getMessage().contains("is over"), over.getMessage());
    }

    @Test
    void aNeighbourhoodLeftWithFewerThanTHoldersAbortsNamingTheClient() {
        RoundConfig config = InProcessRound.config(20, 6, 4, 100, 1.0, 13);
        NeighbourGraph graph = NeighbourGraph.of(config);
        int victim = 0;
        List<Integer> neighbours = new ArrayList<>(graph.neighbours(victim));
        // Four of its six neighbours drop after sharing: it and the two left are 3 holders, below t = 4.
        Dropouts dropouts = new Dropouts(Set.of(), Set.of(), Set.copyOf(neighbours.subList(0, 4)), Set.of());
        InProcessRound round = new InProcessRound(config);
        SecAggAbortedException aborted = assertThrows(SecAggAbortedException.class,
                () -> round.run(InProcessRound.randomUpdates(config, 1.0, 14), dropouts));

        assertEquals(SecAggStage.MASKED_INPUT, aborted.stage());
        assertTrue(aborted.getMessage().contains("client " + victim + " (survivor) has 3 surviving holders"),
                aborted.getMessage());
    }

    private static Set<Integer> ids(String list) {
        return list.isBlank() ? Set.of()
                : Arrays.stream(list.trim().split(" ")).map(Integer::valueOf).collect(Collectors.toSet());
    }

    private static void assertWithinBound(RoundConfig config, double[] expected, float[] actual, int summands) {
        double bound = config.quantizer().sumErrorBound(summands);
        assertEquals(expected.length, actual.length);
        double worst = IntStream.range(0, actual.length).mapToDouble(i -> Math.abs(actual[i] - expected[i])
                - Math.ulp((float) expected[i])).max().orElseThrow();
        assertTrue(worst <= bound, "largest error beyond float rounding " + worst + " exceeds the bound " + bound);
    }
}
