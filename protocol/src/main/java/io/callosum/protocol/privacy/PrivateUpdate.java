package io.callosum.protocol.privacy;

/**
 * A site's update after clipping and, with privacy on, its share of the noise.
 *
 * @param values       the clipped (and noised) update; a new array, the caller's to keep or change
 * @param originalNorm the L2 norm of the update before clipping: how hard the bound bit, a useful round metric
 * @param clipped      whether the update was scaled down (its norm exceeded {@code C})
 * @param noiseStd     the standard deviation of the noise added to each coordinate; 0 when privacy is off
 */
public record PrivateUpdate(float[] values, double originalNorm, boolean clipped, double noiseStd) {
}
