package io.callosum.encoders.omics;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Samples × features measurements with explicit missingness: a missing cell is masked (and holds NaN), never a
 * silent zero. Values are row-major.
 */
public final class OmicsMatrix {
    private final List<String> subjects;
    private final List<String> features;
    private final float[] values;
    private final BitSet missing;

    public OmicsMatrix(List<String> subjects, List<String> features, float[] values, BitSet missing) {
        this.subjects = List.copyOf(subjects);
        this.features = List.copyOf(features);
        requireUnique(this.subjects, "subject id");
        requireUnique(this.features, "feature name");
        if (values.length != subjects.size() * features.size()) {
            throw new IllegalArgumentException(values.length + " values for " + subjects.size() + " subjects × "
                    + features.size() + " features");
        }
        this.values = values.clone();
        this.missing = (BitSet) missing.clone();
        this.missing.stream().forEach(i -> this.values[i] = Float.NaN);
    }

    public List<String> subjects() {
        return subjects;
    }

    public List<String> features() {
        return features;
    }

    public float value(int row, int column) {
        return values[index(row, column)];
    }

    public boolean isMissing(int row, int column) {
        return missing.get(index(row, column));
    }

    public int missingCount() {
        return missing.cardinality();
    }

    /** One subject's values (NaN where missing). */
    public float[] row(int row) {
        float[] out = new float[features.size()];
        System.arraycopy(values, row * features.size(), out, 0, out.length);
        return out;
    }

    /** One subject's mask: true where the value was measured. */
    public boolean[] observed(int row) {
        boolean[] out = new boolean[features.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = !missing.get(index(row, c));
        }
        return out;
    }

    private int index(int row, int column) {
        return row * features.size() + column;
    }

    private static void requireUnique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty " + what);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(what + " '" + name + "' appears twice");
            }
        }
    }
}
