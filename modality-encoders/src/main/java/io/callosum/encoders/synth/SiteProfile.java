package io.callosum.encoders.synth;

import io.callosum.protocol.tensor.Modality;

import java.util.Set;

/**
 * One hospital's nuisance: its class mix (non-IID), the modalities it holds, its scanner (intensity gain and bias
 * field), its EEG amplifier (gain, mains frequency and line-noise amplitude) and its omics assay (batch effect,
 * measurement noise and missing rate).
 */
public record SiteProfile(int index, String name, double[] classMix, Set<Modality> modalities, double scannerGain,
                          double biasStrength, double[] biasDirection, double eegGain, double mainsHz,
                          double lineNoise, double omicsBatchScale, double omicsNoise, double omicsMissingRate,
                          long batchSeed) {
    /** The generator's sites' omics measurement noise (per gene, in expression units) and missing rate. */
    static final double OMICS_NOISE = 0.5;
    static final double OMICS_MISSING_RATE = 0.01;
}
