package io.callosum.protocol.tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a tensor belongs to: one modality's encoder, the shared latent space that aligns them, or a plain model. */
public enum Modality {
    IMAGING("imaging"),
    EEG("eeg"),
    OMICS("omics"),
    SHARED("shared"),
    /** A plain Flower participant's tensor: it carries no modality, so it is aggregated with the whole model. */
    PLAIN("plain");

    /** The modalities of recorded data, each with its own encoder. */
    public static final Set<Modality> DATA = Collections.unmodifiableSet(EnumSet.of(IMAGING, EEG, OMICS));

    private final String tag;

    Modality(String tag) {
        this.tag = tag;
    }

    /** The name used on the wire and in data directories. */
    public String tag() {
        return tag;
    }

    public static Modality fromTag(String tag) {
        for (Modality modality : values()) {
            if (modality.tag.equals(tag)) {
                return modality;
            }
        }
        throw new IllegalArgumentException("unknown modality '" + tag + "' (expected one of "
                + Arrays.stream(values()).map(Modality::tag).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return tag;
    }
}
