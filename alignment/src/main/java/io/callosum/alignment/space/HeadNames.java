package io.callosum.alignment.space;

import io.callosum.protocol.tensor.Modality;

import java.util.Optional;

/**
 * How the shared space's tensors are named. All are tagged {@link Modality#SHARED}; a projection head's are
 * {@code shared/head-<modality tag>/<DJL parameter path>} (e.g. {@code shared/head-eeg/02hidden_weight}), the
 * loss's {@code shared/loss/log_scale} and, for SigLIP, {@code shared/loss/bias}. A site sends the heads of the
 * modalities it trained and the loss's; aggregation per tensor name then averages each head over the sites that
 * hold its modality.
 */
public final class HeadNames {
    /** Where {@link io.callosum.encoders.jepa.ModelTensors} puts every tensor of the shared space. */
    static final String SHARED_PREFIX = Modality.SHARED.tag() + "/";
    static final String LOSS_PATH = "loss/";
    public static final String LOSS_PREFIX = SHARED_PREFIX + LOSS_PATH;
    private static final String HEAD_PATH = "head-";
    private static final String HEAD_PREFIX = SHARED_PREFIX + HEAD_PATH;

    private HeadNames() {
    }

    /** The first part of every tensor name of {@code modality}'s head, ending in '/'. */
    public static String headPrefix(Modality modality) {
        return SHARED_PREFIX + headPath(modality);
    }

    /**
     * The modality whose head a tensor belongs to, or empty for a tensor that is no head's; refuses a head name that
     * names no data modality.
     */
    public static Optional<Modality> headOf(String tensorName) {
        if (!tensorName.startsWith(HEAD_PREFIX)) {
            return Optional.empty();
        }
        int end = tensorName.indexOf('/', HEAD_PREFIX.length());
        if (end < 0) {
            throw new IllegalArgumentException("tensor '" + tensorName + "' has no parameter path after the head's"
                    + " modality (expected " + HEAD_PREFIX + "<modality>/<parameter>)");
        }
        String tag = tensorName.substring(HEAD_PREFIX.length(), end);
        try {
            return Optional.of(dataModality(Modality.fromTag(tag)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + tensorName + "' is a head of no data modality: "
                    + e.getMessage(), e);
        }
    }

    /** The head's name as a child block of the shared space. */
    static String headBlock(Modality modality) {
        return HEAD_PATH + dataModality(modality).tag();
    }

    /** The head's tensor names after {@link #SHARED_PREFIX}, ending in '/'. */
    static String headPath(Modality modality) {
        return headBlock(modality) + "/";
    }

    private static Modality dataModality(Modality modality) {
        if (modality == Modality.SHARED || modality == Modality.PLAIN) {
            throw new IllegalArgumentException("'" + modality + "' is not a data modality and has no projection head");
        }
        return modality;
    }
}
