package io.callosum.encoders.synth;

import java.util.SplittableRandom;

/**
 * Expression-like profiles in which genes come in pathway modules that rise and fall together. Each diagnosis has a
 * disease program of up to three modules that it drives far from baseline, all by the same severity-dependent
 * amount, each in its own random direction: the class shows in the modules' magnitude, not their sign, so it is not
 * linear in the raw values, and the program's modules agree on that magnitude, so a representation that predicts a
 * hidden module from the others has to capture it (as EEG's band power is shared across time patches while the
 * phase is not). Both diagnoses also shift the module after the programs a little. The remaining modules carry the
 * subject's {@link Phenotype}: each one's activity is a fixed unit-norm combination of the phenotype's components
 * (a loading matrix of the cohort) plus a little noise, so that the profile identifies the subject beyond its
 * diagnosis; with no module left over (fewer than {@code 2 × program + 2} modules) omics does not express it.
 *
 * <p>A subject with traits (a cohort generated {@link CohortGenerator#withTraits() with traits}) expresses them in
 * those modules instead, strongly: {@value #TRAIT_WEIGHT} of weight against {@value #TRAIT_MODULE_NOISE} of module
 * noise, through a loading matrix with orthogonal columns, so that 13 modules carry 8 traits and a hidden one is
 * predictable from the others. Each
 * site adds a per-gene batch offset and its own measurement noise and share of missing values (about 1%).
 */
final class OmicsSynthesizer {
    private static final double PHENOTYPE_WEIGHT = 0.3;
    private static final double MODULE_NOISE = 0.95;
    private static final double TRAIT_WEIGHT = 0.95;
    private static final double TRAIT_MODULE_NOISE = 0.3;

    private OmicsSynthesizer() {
    }

    /**
     * Per-gene loading and baseline, each module's unit-norm loading on the phenotype's clinical components and
     * its loading on the traits (zero for the programs' modules): the biology,
     * which is the same in every cohort of the same size, whatever its seed, as genes do not change between
     * hospitals or studies (sites differ by batch, noise and missingness). Drawn from the cohort's seed instead, a
     * freshly generated held-out cohort had other genes in each module and other signs, so no omics model trained on
     * one cohort could read another.
     */
    record Genes(int modules, int[] module, double[] loading, double[] baseline, double[][] phenotypeLoading,
                 double[][] traitLoading) {
        private static final long BIOLOGY_SEED = 0x9E3779B97F4A7C15L;

        static Genes of(int features, int modules) {
            SplittableRandom random = new SplittableRandom(BIOLOGY_SEED);
            int[] module = new int[features];
            double[] loading = new double[features];
            double[] baseline = new double[features];
            for (int g = 0; g < features; g++) {
                module[g] = g * modules / features;
                loading[g] = random.nextDouble(0.6, 1.4) * (random.nextBoolean() ? 1 : -1);
                baseline[g] = random.nextDouble(4, 10);
            }
            double[][] phenotypeLoading = new double[modules][Phenotype.CLINICAL_COLUMNS.size()];
            for (double[] row : phenotypeLoading) {
                double norm = 0;
                for (int k = 0; k < row.length; k++) {
                    row[k] = random.nextGaussian();
                    norm += row[k] * row[k];
                }
                for (int k = 0; k < row.length; k++) {
                    row[k] /= Math.sqrt(norm);
                }
            }
            int free = Math.max(0, modules - firstFreeModule(modules));
            double[][] traitLoading = new double[modules][Phenotype.TRAITS];
            System.arraycopy(Loadings.orthogonal(free, Phenotype.TRAITS, random.nextLong()), 0, traitLoading,
                    modules - free, free);
            return new Genes(modules, module, loading, baseline, phenotypeLoading, traitLoading);
        }
    }

    /** Modules per disease program: three where there are enough, so that both programs and the shift fit. */
    static int programSize(int modules) {
        return Math.min(3, (modules - 1) / 2);
    }

    /** The first module that no disease program drives nor the diagnoses shift. */
    static int firstFreeModule(int modules) {
        return 2 * programSize(modules) + 1;
    }

    /** One subject's profile; {@code NaN} marks a missing value. */
    static float[] profile(SubjectState subject, SiteProfile site, Genes genes, SplittableRandom random) {
        double[] activity = new double[genes.modules()];
        for (int m = 0; m < activity.length; m++) {
            activity[m] = random.nextGaussian();
        }
        double strength = 0.5 + subject.severity();
        int program = programSize(genes.modules());
        double[] traits = subject.phenotype().traits();
        double[] clinical = subject.phenotype().clinical();
        for (int m = firstFreeModule(genes.modules()); m < activity.length; m++) {
            activity[m] = traits.length > 0
                    ? TRAIT_WEIGHT * Loadings.express(genes.traitLoading(), m, traits)
                            + TRAIT_MODULE_NOISE * activity[m]
                    : PHENOTYPE_WEIGHT * Loadings.express(genes.phenotypeLoading(), m, clinical)
                            + MODULE_NOISE * activity[m];
        }
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
            values[g] = random.nextDouble() < site.omicsMissingRate() ? Float.NaN : (float) (genes.baseline()[g]
                    + offset + genes.loading()[g] * activity[genes.module()[g]]
                    + site.omicsNoise() * random.nextGaussian());
        }
        return values;
    }
}
