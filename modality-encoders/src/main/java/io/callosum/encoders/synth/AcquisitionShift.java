package io.callosum.encoders.synth;

/**
 * Acquisition equipment unlike any the generator gives its sites, for out-of-distribution tests: a scanner with a
 * gain and a bias field outside the sites' ranges (gain 0.8–1.25, bias strength 0.1–0.5), an EEG amplifier with
 * another gain and strong line noise (sites: gain 0.8–1.25, 2–8 µV), and an omics assay with more measurement
 * noise and missing values (sites: 0.5 and 1%). Subjects are drawn as for any other site; only the equipment
 * differs, so a detector that flags them reacts to the shift, not to the patients.
 *
 * <p>Per-recording normalization removes a pure gain: what a model can see is the gain's effect on the relative
 * thermal noise, the bias field's spatial gradient, the line noise against the EEG, and the noisier, sparser assay.
 */
public record AcquisitionShift(double scannerGain, double biasStrength, double eegGain, double lineNoise,
                               double omicsNoise, double omicsMissingRate) {
    /** Relative thermal noise over twice the sites' worst, a bias field three times their strongest. */
    public static final AcquisitionShift UNSEEN_EQUIPMENT = new AcquisitionShift(0.35, 1.5, 0.5, 40, 2.0, 0.25);

    public AcquisitionShift {
        if (!(scannerGain > 0) || !(eegGain > 0)) {
            throw new IllegalArgumentException("gains must be positive, got scanner " + scannerGain + " and EEG "
                    + eegGain);
        }
        if (!(biasStrength >= 0) || !(lineNoise >= 0) || !(omicsNoise >= 0)) {
            throw new IllegalArgumentException("bias strength, line noise and omics noise must not be negative");
        }
        if (!(omicsMissingRate >= 0 && omicsMissingRate < 1)) {
            throw new IllegalArgumentException("the omics missing rate must lie in [0, 1), got " + omicsMissingRate);
        }
    }

    /** {@code site} with this equipment instead of its own; its class mix, modalities and batch seed stay. */
    SiteProfile applyTo(SiteProfile site) {
        return new SiteProfile(site.index(), site.name(), site.classMix(), site.modalities(), scannerGain,
                biasStrength, site.biasDirection(), eegGain, site.mainsHz(), lineNoise, site.omicsBatchScale(),
                omicsNoise, omicsMissingRate, site.batchSeed());
    }
}
