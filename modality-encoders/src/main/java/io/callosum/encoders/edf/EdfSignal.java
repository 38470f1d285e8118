package io.callosum.encoders.edf;

/**
 * One signal's header in an EDF file. Stored samples are 16-bit digital values; {@link #toPhysical} maps them
 * linearly onto [physicalMin, physicalMax].
 */
public record EdfSignal(String label, String transducer, String physicalDimension, double physicalMin,
                        double physicalMax, int digitalMin, int digitalMax, String prefiltering,
                        int samplesPerRecord) {
    public static final String ANNOTATIONS_LABEL = "EDF Annotations";

    public EdfSignal {
        if (digitalMax <= digitalMin) {
            throw new IllegalArgumentException("digital maximum " + digitalMax + " must exceed minimum " + digitalMin);
        }
        if (physicalMax == physicalMin) {
            throw new IllegalArgumentException("physical maximum and minimum are both " + physicalMin);
        }
        if (samplesPerRecord < 1) {
            throw new IllegalArgumentException("samples per record must be positive, got " + samplesPerRecord);
        }
    }

    /** A signal with the full 16-bit digital range over the given physical range. */
    public static EdfSignal of(String label, String dimension, double physicalMin, double physicalMax,
                               int samplesPerRecord) {
        return new EdfSignal(label, "", dimension, physicalMin, physicalMax, Short.MIN_VALUE, Short.MAX_VALUE, "",
                samplesPerRecord);
    }

    /** The EDF+ annotation signal, sized to hold {@code bytes} of TALs per record. */
    static EdfSignal annotations(int bytes) {
        return new EdfSignal(ANNOTATIONS_LABEL, "", "", -1, 1, Short.MIN_VALUE, Short.MAX_VALUE, "", (bytes + 1) / 2);
    }

    public boolean isAnnotations() {
        return label.equals(ANNOTATIONS_LABEL);
    }

    double gain() {
        return (physicalMax - physicalMin) / ((double) digitalMax - digitalMin);
    }

    public float toPhysical(int digital) {
        return (float) ((digital - digitalMin) * gain() + physicalMin);
    }

    /** The nearest digital value, clamped to the digital range. */
    public short toDigital(double physical) {
        long digital = Math.round((physical - physicalMin) / gain() + digitalMin);
        return (short) Math.max(digitalMin, Math.min(digitalMax, digital));
    }
}
