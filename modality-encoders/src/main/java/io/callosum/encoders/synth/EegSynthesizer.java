package io.callosum.encoders.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Resting-state EEG on the 10-20 montage: 1/f-like background from an AR(1) process and an occipital alpha
 * rhythm. Diagnosis 1 adds frontal theta; diagnosis 2 suppresses alpha and adds temporal beta; both scale with
 * severity and have random phase, so the class lives in band power, not in any sample's value. Both diagnoses add
 * focal delta slowing over the lesion's side (left channels for a left lesion), as strong as the lesion is lateral.
 * The subject's {@link Phenotype} sets the rest of the recording's global character: atrophy slows the individual
 * alpha frequency, the grey/white contrast scales alpha's amplitude, asymmetry tips alpha towards the right or left
 * hemisphere, and the cortex component steepens the background's 1/f slope at the same power. The phenotype's
 * traits, where it has them, are the recording's spectral fingerprint: each trait sets the power of a small rhythm
 * of its own in the beta–gamma range, on every channel with its own phase (e^{@value #TRAIT_LOG_AMPLITUDE} in
 * amplitude per standard deviation around {@value #TRAIT_MICROVOLTS} µV, well above the background at those
 * frequencies and away from the diagnosis' bands and mains), so that the shape of the spectrum identifies the
 * subject in every patch of every channel, as the individual spectrum identifies people in real recordings. The
 * site's amplifier scales everything and adds mains interference.
 */
final class EegSynthesizer {
    static final List<String> CHANNELS = List.of("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4",
            "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2");
    private static final Set<String> OCCIPITAL = Set.of("O1", "O2", "P3", "Pz", "P4");
    private static final Set<String> FRONTAL = Set.of("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8");
    private static final Set<String> TEMPORAL = Set.of("T3", "T4", "T5", "T6");
    private static final double BACKGROUND_POLE = 0.96;
    private static final double BACKGROUND_STEP = 3.0;
    private static final double DELTA_HZ = 2.5;
    private static final double DELTA_MICROVOLTS = 6;
    /** Four hertz apart (two spectral bins of a 64-sample patch at 128 Hz, a Hann window's main lobe). */
    static final double[] TRAIT_HZ = {16, 26, 30, 34, 38, 42, 46, 55};
    private static final double TRAIT_MICROVOLTS = 1.5;
    private static final double TRAIT_LOG_AMPLITUDE = 0.5;

    private EegSynthesizer() {
    }

    /** Microvolts, channel-major: {@code [channel][sample]}. */
    static float[][] signals(SubjectState subject, SiteProfile site, int seconds, int rate, SplittableRandom random) {
        int n = seconds * rate;
        Phenotype phenotype = subject.phenotype();
        double strength = 0.5 + subject.severity();
        double alphaHz = Math.max(7, Math.min(13, 10 - 0.4 * phenotype.atrophy() + 0.1 * random.nextGaussian()));
        double alphaAmplitude = 18 * Math.exp(0.1 * phenotype.greyWhiteContrast())
                * (subject.diagnosis() == 2 ? Math.max(0.15, 1 - 0.55 * strength) : 1);
        double pole = BACKGROUND_POLE + 0.01 * Math.tanh(phenotype.cortex());
        double innovation = BACKGROUND_STEP * Math.sqrt((1 - pole * pole) / (1 - BACKGROUND_POLE * BACKGROUND_POLE));
        double lesionSide = subject.diagnosis() == 0 ? 0 : phenotype.lesionSide();
        double[] traitAmplitude = Arrays.stream(phenotype.traits())
                .map(trait -> TRAIT_MICROVOLTS * Math.exp(TRAIT_LOG_AMPLITUDE * trait)).toArray();
        float[][] out = new float[CHANNELS.size()][n];
        for (int ch = 0; ch < CHANNELS.size(); ch++) {
            String name = CHANNELS.get(ch);
            int side = side(name);
            double alphaHere = alphaAmplitude * Math.exp(0.1 * side * phenotype.asymmetry());
            double delta = DELTA_MICROVOLTS * Math.max(0, side * lesionSide);
            double alphaPhase = random.nextDouble(2 * Math.PI);
            double thetaPhase = random.nextDouble(2 * Math.PI);
            double betaPhase = random.nextDouble(2 * Math.PI);
            double deltaPhase = random.nextDouble(2 * Math.PI);
            double mainsPhase = random.nextDouble(2 * Math.PI);
            double[] traitPhase = random.doubles(traitAmplitude.length, 0, 2 * Math.PI).toArray();
            double background = 0;
            for (int i = 0; i < n; i++) {
                double t = (double) i / rate;
                background = pole * background + innovation * random.nextGaussian();
                double value = background + delta * Math.sin(2 * Math.PI * DELTA_HZ * t + deltaPhase);
                for (int k = 0; k < traitAmplitude.length; k++) {
                    value += traitAmplitude[k] * Math.sin(2 * Math.PI * TRAIT_HZ[k] * t + traitPhase[k]);
                }
                if (OCCIPITAL.contains(name)) {
                    value += alphaHere * Math.sin(2 * Math.PI * alphaHz * t + alphaPhase);
                }
                if (subject.diagnosis() == 1 && FRONTAL.contains(name)) {
                    value += 14 * strength * Math.sin(2 * Math.PI * 6 * t + thetaPhase);
                }
                if (subject.diagnosis() == 2 && TEMPORAL.contains(name)) {
                    value += 9 * strength * Math.sin(2 * Math.PI * 21 * t + betaPhase);
                }
                value = value * site.eegGain() + site.lineNoise() * Math.sin(2 * Math.PI * site.mainsHz() * t + mainsPhase);
                out[ch][i] = (float) value;
            }
        }
        return out;
    }

    /** −1 over the left hemisphere (odd electrode numbers), +1 over the right (even), 0 on the midline (z). */
    static int side(String channel) {
        char last = channel.charAt(channel.length() - 1);
        return Character.isDigit(last) ? ((last - '0') % 2 == 1 ? -1 : 1) : 0;
    }
}
