/**
 * The hospital-side service: data catalog, local training loop, Flower client, secure-aggregation
 * client, differential-privacy clipping and noise.
 *
 * <p>See DESIGN.md; the issues that fill this module build on the foundation.
 */
package io.callosum.site;
