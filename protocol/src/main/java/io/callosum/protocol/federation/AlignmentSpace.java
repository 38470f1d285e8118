package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;

import java.util.Map;
import java.util.Optional;

/**
 * The shared latent space an alignment federation trains, sent with its fit and evaluate instructions: the anchor
 * modality every other modality is bound to, the shared dimension, the projection heads' hidden width (0: linear)
 * and the contrastive loss ({@code infonce} or {@code siglip}). An instruction carrying it asks for alignment with
 * frozen encoders instead of JEPA pretraining.
 */
public record AlignmentSpace(Modality anchor, int sharedDim, int hiddenDim, String loss) {
    private static final String PREFIX = "callosum.alignment.";
    private static final String ANCHOR = PREFIX + "anchor";

    public AlignmentSpace {
        if (anchor == null || anchor == Modality.SHARED || anchor == Modality.PLAIN) {
            throw new IllegalArgumentException("the alignment anchor must be a data modality, got " + anchor);
        }
        if (sharedDim < 2 || hiddenDim < 0) {
            throw new IllegalArgumentException("the shared space needs at least 2 dimensions and a hidden width of"
                    + " at least 0, got " + sharedDim + " and " + hiddenDim);
        }
        if (loss == null || loss.isBlank()) {
            throw new IllegalArgumentException("the alignment loss is required");
        }
    }

    public void writeTo(Map<String, Scalar> config) {
        config.put(ANCHOR, ScalarMaps.of(anchor.tag()));
        config.put(PREFIX + "shared_dim", ScalarMaps.of(sharedDim));
        config.put(PREFIX + "hidden_dim", ScalarMaps.of(hiddenDim));
        config.put(PREFIX + "loss", ScalarMaps.of(loss));
    }

    /** The space an instruction names, or empty when it is not an alignment instruction. */
    public static Optional<AlignmentSpace> in(Map<String, Scalar> config, String where) {
        Optional<String> anchor = ScalarMaps.optionalString(config, ANCHOR, where);
        if (anchor.isEmpty()) {
            return Optional.empty();
        }
        long hidden = ScalarMaps.integer(config, PREFIX + "hidden_dim", where);
        if (hidden < 0 || hidden > Integer.MAX_VALUE) {
            throw new ConfigFormatException(where + ": '" + PREFIX + "hidden_dim' must be 0 or a positive int, got "
                    + hidden);
        }
        int shared = ScalarMaps.positiveInt(config, PREFIX + "shared_dim", where);
        String loss = ScalarMaps.string(config, PREFIX + "loss", where);
        try {
            return Optional.of(new AlignmentSpace(Modality.fromTag(anchor.get()), shared, (int) hidden, loss));
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(where + ": " + e.getMessage());
        }
    }
}
