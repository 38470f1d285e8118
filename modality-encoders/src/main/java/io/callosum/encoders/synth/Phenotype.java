package io.callosum.encoders.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A subject's own constitution, independent of diagnosis: standard-normal components that every modality expresses
 * in its own native way, as global properties of a recording (shared across its patches, like band power in EEG),
 * so that a subject's scans, recordings and profiles can be told apart from other subjects' and matched across
 * modalities. The five clinical ones have a clinical correlate in imaging and EEG; omics expresses them through the
 * activity of the pathway modules no disease program uses, or, in a subject with traits, the traits instead.
 *
 * <ul>
 *   <li>{@code atrophy}: a smaller brain with larger ventricles; a slower individual alpha frequency.</li>
 *   <li>{@code greyWhiteContrast}: the T1 contrast of white over grey matter; the alpha rhythm's amplitude.</li>
 *   <li>{@code asymmetry}: a larger right than left hemisphere; stronger right than left alpha.</li>
 *   <li>{@code cortex}: thicker cortical grey matter; a steeper 1/f background (slower drift).</li>
 *   <li>{@code laterality}: for diagnoses 1 and 2, the lesion's left–right position and the side of focal delta
 *       slowing over it (no expression without a lesion).</li>
 *   <li>{@code traits}: in a cohort generated {@link CohortGenerator#withTraits() with traits}, {@value #TRAITS}
 *       more components, the subject's individual make-up, each a fixed pattern over the brain's global shape,
 *       over the EEG spectrum (a fingerprint of small beta–gamma rhythms) and over the free pathway modules, all
 *       strongly expressed; otherwise none. One subject differs from the next in many such ways at once, which is
 *       what makes a person recognisable across modalities: the five clinical components alone, as subtly as
 *       they are expressed, cannot single out one subject in 200.</li>
 * </ul>
 */
public record Phenotype(double atrophy, double greyWhiteContrast, double asymmetry, double cortex,
                        double laterality, double[] traits) {
    public static final int TRAITS = 8;
    /** The {@code subjects.tsv} columns of the clinical components, in {@link #values()} order. */
    public static final List<String> CLINICAL_COLUMNS = List.of("phenotype_atrophy",
            "phenotype_grey_white_contrast", "phenotype_asymmetry", "phenotype_cortex", "phenotype_laterality");

    public Phenotype {
        if (traits.length != 0 && traits.length != TRAITS) {
            throw new IllegalArgumentException("a phenotype has " + TRAITS + " traits or none, not " + traits.length);
        }
        traits = traits.clone();
    }

    /** The {@code subjects.tsv} column of each component, in {@link #values()} order. */
    public static List<String> columns(boolean withTraits) {
        List<String> columns = new ArrayList<>(CLINICAL_COLUMNS);
        for (int k = 1; withTraits && k <= TRAITS; k++) {
            columns.add(String.format(Locale.ROOT, "phenotype_trait_%d", k));
        }
        return List.copyOf(columns);
    }

    /** The clinical components, then the traits after them from the same stream when {@code withTraits}. */
    static Phenotype draw(SplittableRandom random, boolean withTraits) {
        double atrophy = random.nextGaussian();
        double contrast = random.nextGaussian();
        double asymmetry = random.nextGaussian();
        double cortex = random.nextGaussian();
        double laterality = random.nextGaussian();
        double[] traits = new double[withTraits ? TRAITS : 0];
        for (int k = 0; k < traits.length; k++) {
            traits[k] = random.nextGaussian();
        }
        return new Phenotype(atrophy, contrast, asymmetry, cortex, laterality, traits);
    }

    /** A neutral subject without traits: every component at its mean. */
    public static Phenotype average() {
        return new Phenotype(0, 0, 0, 0, 0, new double[0]);
    }

    @Override
    public double[] traits() {
        return traits.clone();
    }

    public double[] clinical() {
        return new double[] {atrophy, greyWhiteContrast, asymmetry, cortex, laterality};
    }

    /** The clinical components, then the traits. */
    public double[] values() {
        double[] clinical = clinical();
        double[] values = Arrays.copyOf(clinical, clinical.length + traits.length);
        System.arraycopy(traits, 0, values, clinical.length, traits.length);
        return values;
    }

    /** The lesion's side and how far out: −1 far left, +1 far right (a squashed {@code laterality}). */
    double lesionSide() {
        return Math.tanh(laterality);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Phenotype that && Arrays.equals(values(), that.values());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values());
    }

    @Override
    public String toString() {
        return "Phenotype" + Arrays.toString(values());
    }
}
