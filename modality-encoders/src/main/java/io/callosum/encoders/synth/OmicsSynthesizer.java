package io.callosum.encoders.synth;

import java.util.SplittableRandom;

/**
 * Expression-like profiles in which genes come in pathway modules that rise and fall together. Diagnosis 1 drives
 * module 0 and diagnosis 2 module 1 far from baseline in a random direction (so the class shows in a module's
 * magnitude, not its sign), and both shift module 2 a little. Each site adds a per-gene batch offset; about 1% of
 * values are missing.
 */
final class OmicsSynthesizer {
    private static final double MISSING_RATE = 0.01;

    private OmicsSynthesizer() {
    }

    /** Per-gene loading and baseline, fixed for the whole cohort. */
    record Genes(int modules, int[] module, double[] loading, double[] baseline) {
        static Genes of(int features, int modules, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] module = new int[features];
            double[] loading = new double[features];
            double[] baseline = new double[features];
            for (int g = 0; g < features; g++) {
                module[g] = g * modules / features;
                loading[g] = random.nextDouble(0.6, 1.4) * (random.nextBoolean() ? 1 : -1);
                baseline[g] = random.nextDouble(4, 10);
            }
            return new Genes(modules, module, loading, baseline);
        }
    }

    /** One subject's profile; {@code NaN} marks a missing value. */
    static float[] profile(SubjectState subject, SiteProfile site, Genes genes, SplittableRandom random) {
        double[] activity = new double[genes.modules()];
        for (int m = 0; m < activity.length; m++) {
            activity[m] = random.nextGaussian();
        }
        double strength = 0.5 + subject.severity();
        if (subject.diagnosis() > 0) {
            int driven = subject.diagnosis() - 1;
            activity[driven] = (random.nextBoolean() ? 1 : -1) * (1.8 + 1.6 * strength) + 0.3 * random.nextGaussian();
            activity[2] += subject.diagnosis() == 1 ? 0.7 : -0.7;
        }
        SplittableRandom batch = new SplittableRandom(site.batchSeed());
        float[] values = new float[genes.module().length];
        for (int g = 0; g < values.length; g++) {
            double offset = site.omicsBatchScale() * batch.nextGaussian();
            values[g] = random.nextDouble() < MISSING_RATE ? Float.NaN : (float) (genes.baseline()[g] + offset
                    + genes.loading()[g] * activity[genes.module()[g]] + 0.5 * random.nextGaussian());
        }
        return values;
    }
}
