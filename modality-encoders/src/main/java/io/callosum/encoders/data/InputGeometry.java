package io.callosum.encoders.data;

/** The shape of one modality's flat input vector, which its tokenizer cuts into tokens. */
public sealed interface InputGeometry {

    int inputLength();

    /** A cube of {@code edge}³ voxels, x fastest. */
    record Volume(int edge) implements InputGeometry {
        @Override
        public int inputLength() {
            return edge * edge * edge;
        }
    }

    /** {@code channels} × {@code samples}, channel-major. */
    record Montage(int channels, int samples) implements InputGeometry {
        @Override
        public int inputLength() {
            return channels * samples;
        }
    }

    /** {@code features} values followed by their {@code features} observed-masks (1 measured, 0 missing). */
    record Features(int features) implements InputGeometry {
        @Override
        public int inputLength() {
            return 2 * features;
        }
    }
}
