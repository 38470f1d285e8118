package io.callosum.encoders.jepa;

/** How a JEPA run keeps its embeddings from collapsing to a constant. */
public enum Objective {
    /** LeJEPA: push the embedding distribution towards an isotropic Gaussian; no teacher, no stop-gradient. */
    SIGREG,
    /** Variance and covariance penalties on the embeddings (Bardes et al. 2022). */
    VICREG,
    /** I-JEPA: targets come from an exponential-moving-average copy of the encoder, with stop-gradient. */
    EMA
}
