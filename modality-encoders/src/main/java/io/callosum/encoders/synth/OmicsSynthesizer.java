package io.callosum.encoders.synth;

import java.util.SplittableRandom;

/**
 * Expression-like profiles in which genes come in pathway modules that rise and fall together. Each diagnosis has a
 * disease program of up to three modules that it drives far from baseline, all by the same severity-dependent
 * amount, each in its own random direction: the class shows in the modules' magnitude, not their sign, so it is not
 * linear in the raw values, and the program's modules agree on that magnitude, so a representation that predicts a
 * hidden module from the others has to capture it (as EEG's band power is shared across time patches while the
 * phase is not). Both diagnoses also shift the module after the programs a little. Each site adds a per-gene batch
 * offset; about 1% of values are missing.
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

    /** Modules per disease program: three where there are enough, so that both programs and the shift fit. */
    static int programSize(int modules) {
        return Math.min(3, (modules - 1) / 2);
    }

    /** One subject's profile; {@code NaN} marks a missing value. */
    static float[] profile(SubjectState subject, SiteProfile site, Genes genes, SplittableRandom random) {
        double[] activity = new double[genes.modules()];
        for (int m = 0; m < activity.length; m++) {
            activity[m] = random.nextGaussian();
        }
        double strength = 0.5 + subject.severity();
        int program = programSize(genes.modules());
        if (subject.diagnosis() > 0) {
            int first = (subject.diagnosis() - 1) * program;
            for (int m = first; m < first + program; m++) {
                activity[m] = (random.nextBoolean() ? 1 : -1) * (1.8 + 1.6 * strength) + 0.3 * random.nextGaussian();
            }
            activity[2 * program] += subject.diagnosis() == 1 ? 0.7 : -0.7;
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
