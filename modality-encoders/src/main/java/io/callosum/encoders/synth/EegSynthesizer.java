package io.callosum.encoders.synth;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Resting-state EEG on the 10-20 montage: 1/f-like background from an AR(1) process and an occipital alpha
 * rhythm. Diagnosis 1 adds frontal theta; diagnosis 2 suppresses alpha and adds temporal beta; both scale with
 * severity and have random phase, so the class lives in band power, not in any sample's value. The site's
 * amplifier scales everything and adds mains interference.
 */
final class EegSynthesizer {
    static final List<String> CHANNELS = List.of("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4",
            "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2");
    private static final Set<String> OCCIPITAL = Set.of("O1", "O2", "P3", "Pz", "P4");
    private static final Set<String> FRONTAL = Set.of("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8");
    private static final Set<String> TEMPORAL = Set.of("T3", "T4", "T5", "T6");

    private EegSynthesizer() {
    }

    /** Microvolts, channel-major: {@code [channel][sample]}. */
    static float[][] signals(SubjectState subject, SiteProfile site, int seconds, int rate, SplittableRandom random) {
        int n = seconds * rate;
        double strength = 0.5 + subject.severity();
        double alphaHz = random.nextDouble(9, 11);
        double alphaAmplitude = 18 * (subject.diagnosis() == 2 ? Math.max(0.15, 1 - 0.55 * strength) : 1);
        float[][] out = new float[CHANNELS.size()][n];
        for (int ch = 0; ch < CHANNELS.size(); ch++) {
            String name = CHANNELS.get(ch);
            double alphaPhase = random.nextDouble(2 * Math.PI);
            double thetaPhase = random.nextDouble(2 * Math.PI);
            double betaPhase = random.nextDouble(2 * Math.PI);
            double mainsPhase = random.nextDouble(2 * Math.PI);
            double background = 0;
            for (int i = 0; i < n; i++) {
                double t = (double) i / rate;
                background = 0.96 * background + 3.0 * random.nextGaussian();
                double value = background;
                if (OCCIPITAL.contains(name)) {
                    value += alphaAmplitude * Math.sin(2 * Math.PI * alphaHz * t + alphaPhase);
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
}
