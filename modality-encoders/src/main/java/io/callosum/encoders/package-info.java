/**
 * Readers for the formats hospitals hold (NIfTI-1, EDF/EDF+, omics matrices), per-modality encoders as
 * DJL blocks and the JEPA objective with SIGReg, VICReg or an EMA teacher.
 *
 * <p>See DESIGN.md; the issues that fill this module build on the foundation.
 */
package io.callosum.encoders;
