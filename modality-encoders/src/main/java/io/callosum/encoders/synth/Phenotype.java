package io.callosum.encoders.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A subject's own constitution, independent of diagnosis: five standard-normal components that every modality
 * expresses in its own native way, as global properties of a recording (shared across its patches, like band power
 * in EEG), so that a subject's scans, recordings and profiles can be told apart from other subjects' and matched
 * across modalities. Imaging and EEG express each component through a clinically plausible correlate; omics
 * expresses all of them through the activity of the pathway modules no disease program uses.
 *
 * <ul>
 *   <li>{@code atrophy}: a smaller brain with larger ventricles; a slower individual alpha frequency.</li>
 *   <li>{@code greyWhiteContrast}: the T1 contrast of white over grey matter; the alpha rhythm's amplitude.</li>
 *   <li>{@code asymmetry}: a larger right than left hemisphere; stronger right than left alpha.</li>
 *   <li>{@code cortex}: thicker cortical grey matter; a steeper 1/f background (slower drift).</li>
 *   <li>{@code laterality}: for diagnoses 1 and 2, the lesion's left–right position and the side of focal delta
 *       slowing over it (no expression without a lesion).</li>
 * </ul>
 */
public record Phenotype(double atrophy, double greyWhiteContrast, double asymmetry, double cortex,
                        double laterality) {
    /** The {@code subjects.tsv} column of each component, in {@link #values()} order. */
    public static final List<String> COLUMNS = List.of("phenotype_atrophy", "phenotype_grey_white_contrast",
            "phenotype_asymmetry", "phenotype_cortex", "phenotype_laterality");

    static Phenotype draw(SplittableRandom random) {
        return new Phenotype(random.nextGaussian(), random.nextGaussian(), random.nextGaussian(),
                random.nextGaussian(), random.nextGaussian());
    }

    /** A neutral subject: every component at its mean. */
    public static Phenotype average() {
        return new Phenotype(0, 0, 0, 0, 0);
    }

    public double[] values() {
        return new double[] {atrophy, greyWhiteContrast, asymmetry, cortex, laterality};
    }

    /** The lesion's side and how far out: −1 far left, +1 far right (a squashed {@code laterality}). */
    double lesionSide() {
        return Math.tanh(laterality);
    }
}
