package io.callosum.alignment.space;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.protocol.federation.AlignmentSpace;

import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of the shared latent space and how it is trained: the shared dimension d, the projection heads'
 * hidden width ({@code 0} for a linear head), the contrastive loss, its starting temperature τ and whether τ is
 * learnt (CLIP) or fixed. Every site and the coordinator must use the same configuration for one federation.
 */
public record AlignmentConfig(int sharedDim, int hiddenDim, ContrastiveLoss loss, float temperature,
                              boolean learnTemperature) {

    public AlignmentConfig {
        if (sharedDim < 2) {
            throw new IllegalArgumentException("the shared space needs at least 2 dimensions, got " + sharedDim);
        }
        if (hiddenDim < 0) {
            throw new IllegalArgumentException("hidden width must be 0 (linear head) or positive, got " + hiddenDim);
        }
        if (loss == null) {
            throw new IllegalArgumentException("a contrastive loss is required");
        }
        if (!(temperature > 0) || temperature > 1) {
            throw new IllegalArgumentException("temperature must lie in (0, 1], got " + temperature);
        }
    }

    /** d = 32 behind a 128-wide hidden layer, with the loss's published starting temperature, learnt. */
    public static AlignmentConfig defaults(ContrastiveLoss loss) {
        return new AlignmentConfig(32, 128, loss, loss.defaultTemperature(), true);
    }

    /**
     * The configuration a federation's {@link AlignmentSpace} names, with the loss's published starting temperature,
     * learnt: what the coordinator initializes the heads with and every site trains them with.
     */
    public static AlignmentConfig from(AlignmentSpace space) {
        ContrastiveLoss loss = Arrays.stream(ContrastiveLoss.values())
                .filter(l -> l.name().equals(space.loss().toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown contrastive loss '" + space.loss()
                        + "' (expected one of " + Arrays.toString(ContrastiveLoss.values()).toLowerCase(Locale.ROOT)
                        + ")"));
        return new AlignmentConfig(space.sharedDim(), space.hiddenDim(), loss, loss.defaultTemperature(), true);
    }
}
