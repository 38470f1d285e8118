package io.callosum.encoders.jepa;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SigRegTest {
    @BeforeAll
    static void seed() {
        Engine.getInstance().setRandomSeed(3);
    }

    @Test
    void isSmallForAnIsotropicGaussianAndLargeForCollapsedOrShrunkEmbeddings() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float gaussian = SigReg.statistic(manager.randomNormal(new Shape(512, 32)), 256).getFloat();
            float collapsed = SigReg.statistic(manager.ones(new Shape(512, 32)), 256).getFloat();
            float shrunk = SigReg.statistic(manager.randomNormal(new Shape(512, 32)).mul(0.1f), 256).getFloat();
            float lowRank = SigReg.statistic(manager.randomNormal(new Shape(512, 1)).repeat(1, 32), 256).getFloat();

            assertTrue(gaussian < 1.0, "gaussian " + gaussian);
            assertTrue(collapsed > 50 * gaussian, "collapsed " + collapsed + " vs " + gaussian);
            assertTrue(shrunk > 50 * gaussian, "shrunk " + shrunk + " vs " + gaussian);
            assertTrue(lowRank > 10 * gaussian, "low rank " + lowRank + " vs " + gaussian);
        }
    }

    @Test
    void itsGradientPushesCollapsedEmbeddingsApart() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.randomNormal(new Shape(64, 8)).mul(0.01f);
            z.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(SigReg.statistic(z, 128));
            }
            NDArray spread = z.sub(z.getGradient().mul(0.5f));
            assertTrue(variance(spread) > variance(z), "a gradient step increases the spread");
        }
    }

    private static float variance(NDArray z) {
        return z.sub(z.mean()).square().mean().getFloat();
    }
}
