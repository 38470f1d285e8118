package io.callosum.encoders.jepa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskSamplerTest {

    @ParameterizedTest
    @ValueSource(strings = {"4,4,4", "19,20", "20"})
    void contextAndTargetsPartitionTheTokens(String gridText) {
        int[] grid = Arrays.stream(gridText.split(",")).mapToInt(Integer::parseInt).toArray();
        int tokens = Arrays.stream(grid).reduce(1, (a, b) -> a * b);
        MaskSampler sampler = new MaskSampler(grid);
        Random random = new Random(1);
        double targetShare = 0;
        for (int i = 0; i < 200; i++) {
            TokenMask mask = sampler.sample(random);
            assertTrue(mask.context().length > 0 && mask.targets().length > 0);
            long[] all = LongStream.concat(LongStream.of(mask.context()), LongStream.of(mask.targets())).sorted().toArray();
            assertArrayEquals(LongStream.range(0, tokens).toArray(), all, "disjoint and covering");
            targetShare += (double) mask.targets().length / tokens / 200;
        }
        assertTrue(targetShare > 0.05 && targetShare < 0.6, "targets are a minority: " + targetShare);
    }
}
