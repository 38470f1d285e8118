package io.callosum.encoders.synth;

import java.util.SplittableRandom;

/**
 * A T1-like brain volume: an ellipsoid of white matter inside a shell of cortical grey matter, dark ventricles in
 * the middle, a fine texture. The subject's {@link Phenotype} sets its global anatomy: atrophy shrinks the brain
 * and widens the ventricles, the grey/white contrast, the right hemisphere's size against the left's, and the
 * cortex's thickness; its traits, where it has them, set the rest of the brain's shape and tissue, each through a
 * fixed pattern over eight global measures (the brain's three axes, the ventricles' three axes, the cortex's
 * thickness and the grey/white contrast), as head and brain shape tell people apart. Diagnosis 1 adds a
 * hyperintense lesion, diagnosis 2 a hypointense elongated one, sized by severity, on the left–right side the
 * phenotype's laterality says and otherwise at a random position, so that the
 * class is local and moves around (not a fixed set of voxels). The site's scanner scales intensities and
 * multiplies a linear bias field; thermal noise on top. Left is low x, right high x (RAS).
 */
final class ImagingSynthesizer {
    private static final float NOISE = 4f;
    private static final double TEXTURE = 6;
    private static final double BACKGROUND = 8;
    private static final double CSF = 30;
    private static final double WHITE = 110;
    private static final double GREY = 70;
    /** Per standard deviation of the phenotype component. */
    private static final double ATROPHY_SHRINK = 0.02;
    private static final double VENTRICLE_GROWTH = 0.15;
    private static final double CONTRAST_STEP = 3;
    private static final double HEMISPHERE_STEP = 0.02;
    private static final double CORTEX_STEP = 0.02;
    /** The traits' loading on the brain's axes (3), the ventricles' axes (3), the cortex and the contrast. */
    static final double[][] TRAIT_ANATOMY = Loadings.orthogonal(8, Phenotype.TRAITS, 0x632BE59BD9B4E019L);
    private static final double AXIS_STEP = 0.04;
    private static final double VENTRICLE_AXIS_STEP = 0.15;

    private ImagingSynthesizer() {
    }

    static float[] volume(SubjectState subject, SiteProfile site, int edge, SplittableRandom random) {
        Phenotype phenotype = subject.phenotype();
        float[] voxels = new float[edge * edge * edge];
        double c = (edge - 1) / 2.0;
        double[] anatomy = Loadings.apply(TRAIT_ANATOMY, phenotype.traits());
        double scale = edge / 32.0 * (1 - ATROPHY_SHRINK * phenotype.atrophy());
        double[] radii = {12.5 * scale * jitter(random, 0.02), 14.5 * scale * jitter(random, 0.02),
                11.5 * scale * jitter(random, 0.02)};
        for (int axis = 0; axis < 3; axis++) {
            radii[axis] *= Math.exp(AXIS_STEP * anatomy[axis]);
        }
        double rightRadius = radii[0] * (1 + HEMISPHERE_STEP * phenotype.asymmetry());
        double leftRadius = radii[0] * (1 - HEMISPHERE_STEP * phenotype.asymmetry());
        double ventricleScale = Math.exp(VENTRICLE_GROWTH * phenotype.atrophy());
        double[] ventricles = {0.22 * radii[0] * ventricleScale, 0.32 * radii[1] * ventricleScale,
                0.2 * radii[2] * ventricleScale};
        for (int axis = 0; axis < 3; axis++) {
            ventricles[axis] *= Math.exp(VENTRICLE_AXIS_STEP * anatomy[3 + axis]);
        }
        double contrast = CONTRAST_STEP * (phenotype.greyWhiteContrast() + anatomy[7]);
        double white = WHITE + contrast;
        double grey = GREY - contrast;
        double cortexInner = Math.max(0.5, Math.min(0.85, 0.7 - CORTEX_STEP * (phenotype.cortex() + anatomy[6])));
        double[] texture = texture(edge, random);
        Lesion lesion = Lesion.of(subject, radii, c, edge / 32.0, random);
        for (int z = 0; z < edge; z++) {
            for (int y = 0; y < edge; y++) {
                for (int x = 0; x < edge; x++) {
                    double r = Math.sqrt(square((x - c) / (x >= c ? rightRadius : leftRadius))
                            + square((y - c) / radii[1]) + square((z - c) / radii[2]));
                    double tissue = r > 1 ? BACKGROUND : r > cortexInner ? grey : white;
                    if (r <= 1) {
                        if (square((x - c) / ventricles[0]) + square((y - c) / ventricles[1])
                                + square((z - c) / ventricles[2]) <= 1) {
                            tissue = CSF;
                        }
                        tissue += texture[x + edge * (y + edge * z)];
                        tissue += lesion.contrastAt(x, y, z);
                    }
                    double bias = 1 + site.biasStrength() * (site.biasDirection()[0] * (x - c)
                            + site.biasDirection()[1] * (y - c) + site.biasDirection()[2] * (z - c)) / edge;
                    voxels[x + edge * (y + edge * z)] = (float) (tissue * site.scannerGain() * bias
                            + NOISE * random.nextGaussian());
                }
            }
        }
        return voxels;
    }

    private record Lesion(double x, double y, double z, double[] radii, double contrast) {
        static Lesion of(SubjectState subject, double[] brain, double c, double scale, SplittableRandom random) {
            if (subject.diagnosis() == 0) {
                return new Lesion(c, c, c, new double[] {1, 1, 1}, 0);
            }
            double size = (2.8 + 3.0 * subject.severity()) * scale;
            double[] radii = subject.diagnosis() == 1 ? new double[] {size, size, size}
                    : new double[] {size * 1.8, size * 0.7, size * 0.7};
            double[] at = new double[3];
            at[0] = c + (0.5 * subject.phenotype().lesionSide() + random.nextDouble(-0.1, 0.1)) * brain[0];
            for (int axis = 1; axis < 3; axis++) {
                at[axis] = c + random.nextDouble(-0.55, 0.55) * brain[axis];
            }
            double contrast = (subject.diagnosis() == 1 ? 1 : -1) * (45 + 45 * subject.severity());
            return new Lesion(at[0], at[1], at[2], radii, contrast);
        }

        double contrastAt(int px, int py, int pz) {
            if (contrast == 0) {
                return 0;
            }
            double d = square((px - x) / radii[0]) + square((py - y) / radii[1]) + square((pz - z) / radii[2]);
            return contrast * Math.exp(-d);
        }
    }

    /**
     * Tissue texture at the scale of a few voxels, like cortical folding: white noise smoothed by a 3-voxel box along
     * each axis, {@value #TEXTURE} intensity units per standard deviation. Being local, it cannot be predicted from
     * the rest of the volume, unlike the global anatomy, so it does not crowd out what a JEPA encoder should keep.
     */
    static double[] texture(int edge, SplittableRandom random) {
        double[] field = new double[edge * edge * edge];
        for (int i = 0; i < field.length; i++) {
            field[i] = random.nextGaussian();
        }
        for (int stride : new int[] {1, edge, edge * edge}) {
            field = boxAlong(field, edge, stride);
        }
        double scale = TEXTURE * Math.sqrt(27);
        for (int i = 0; i < field.length; i++) {
            field[i] *= scale;
        }
        return field;
    }

    /** A 3-tap mean along the axis whose neighbours are {@code stride} apart, the edges averaging what they have. */
    private static double[] boxAlong(double[] field, int edge, int stride) {
        double[] out = new double[field.length];
        for (int i = 0; i < field.length; i++) {
            int coordinate = (i / stride) % edge;
            double sum = field[i];
            int count = 1;
            if (coordinate > 0) {
                sum += field[i - stride];
                count++;
            }
            if (coordinate < edge - 1) {
                sum += field[i + stride];
                count++;
            }
            out[i] = sum / count;
        }
        return out;
    }

    private static double jitter(SplittableRandom random, double amount) {
        return 1 + random.nextDouble(-amount, amount);
    }

    private static double square(double v) {
        return v * v;
    }
}
