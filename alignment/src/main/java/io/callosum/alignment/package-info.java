/**
 * Projection heads that map every modality into one shared latent space, the paired contrastive and
 * anchor-binding losses, cross-modal retrieval and the energy (compatibility) score.
 *
 * <p>See DESIGN.md; the issues that fill this module build on the foundation.
 */
package io.callosum.alignment;
