package io.callosum.encoders.synth;

/**
 * The size of a synthetic cohort and of each subject's data. Defaults are small enough for a laptop:
 * imaging 32³, EEG 19 channels × 10 s at 128 Hz, omics 1,000 features in 20 pathway modules.
 */
public record CohortSpec(int subjects, int sites, long seed, int imagingEdge, int eegSeconds, int eegRate,
                         int omicsFeatures, int omicsModules) {
    public static final int CLASSES = 3;

    public CohortSpec {
        if (subjects < sites || sites < 1) {
            throw new IllegalArgumentException("need at least one subject per site: " + subjects + " subjects, "
                    + sites + " sites");
        }
        if (imagingEdge < 16) {
            throw new IllegalArgumentException("imaging edge must be at least 16 voxels, got " + imagingEdge);
        }
        if (eegSeconds < 1 || eegRate < 64) {
            throw new IllegalArgumentException("EEG needs at least 1 s at 64 Hz, got " + eegSeconds + " s at " + eegRate);
        }
        if (omicsModules < 3 || omicsFeatures < omicsModules * 2) {
            throw new IllegalArgumentException("omics needs at least 3 modules of 2 features, got " + omicsFeatures
                    + " features in " + omicsModules + " modules");
        }
    }

    public static CohortSpec defaults(int subjects, int sites, long seed) {
        return new CohortSpec(subjects, sites, seed, 32, 10, 128, 1000, 20);
    }
}
