/**
 * Projection heads that map every modality into one shared latent space, the paired contrastive and
 * anchor-binding losses, cross-modal retrieval and the energy (compatibility) score.
 *
 * <ul>
 *   <li>{@code space}: {@link io.callosum.alignment.space.SharedSpace} (the heads and loss parameters as a DJL
 *       model, their {@code shared} tensors, projection and energy) and the embeddings it takes.</li>
 *   <li>{@code loss}: symmetric InfoNCE and SigLIP.</li>
 *   <li>{@code binding}: {@link io.callosum.alignment.binding.AnchorBinding}, a site's local training unit.</li>
 *   <li>{@code retrieval}: ranking one modality's subjects by another's query; Recall@k, median rank, chance.</li>
 * </ul>
 */
package io.callosum.alignment;
