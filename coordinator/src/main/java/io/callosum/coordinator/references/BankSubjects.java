package io.callosum.coordinator.references;

import io.callosum.protocol.tensor.Modality;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The reference subjects of one modality in one bank: their ids, encoder embeddings (equally wide), labels
 * ({@link #UNLABELLED} for none; a modality is labelled throughout or not at all) and the tokenizer statistics of
 * their inputs (equally wide; {@code null} for a bank registered from precomputed vectors, whose inputs are unknown).
 */
public record BankSubjects(Modality modality, List<String> subjects, float[][] vectors, int[] labels,
                           float[][] tokenStatistics) {
    public static final int UNLABELLED = -1;

    public BankSubjects {
        Objects.requireNonNull(modality, "modality");
        subjects = List.copyOf(subjects);
        if (subjects.size() != vectors.length || vectors.length != labels.length) {
            throw new IllegalArgumentException(modality + " reference subjects: " + subjects.size() + " ids, "
                    + vectors.length + " vectors and " + labels.length + " labels");
        }
        Set<String> seen = new HashSet<>();
        for (String subject : subjects) {
            if (subject == null || subject.isBlank() || subject.length() > 200) {
                throw new IllegalArgumentException("reference subject id '" + subject + "' must be 1 to 200"
                        + " characters");
            }
            if (!seen.add(subject)) {
                throw new IllegalArgumentException("reference subject '" + subject + "' appears twice");
            }
        }
        long labelled = Arrays.stream(labels).filter(l -> l != UNLABELLED).count();
        if (labelled != 0 && labelled != labels.length) {
            throw new IllegalArgumentException(labelled + " of " + labels.length + " " + modality + " reference"
                    + " subjects have a label: label every subject or none");
        }
        for (int label : labels) {
            if (label < UNLABELLED) {
                throw new IllegalArgumentException("labels are class indices 0, 1, ..., got " + label);
            }
        }
        if (tokenStatistics != null && (tokenStatistics.length != vectors.length || Arrays.stream(tokenStatistics)
                .anyMatch(row -> row == null || row.length == 0 || row.length != tokenStatistics[0].length))) {
            throw new IllegalArgumentException(modality + " reference subjects: " + tokenStatistics.length
                    + " rows of tokenizer statistics for " + vectors.length + " subjects, or rows of unequal width");
        }
    }

    /** Whether the subjects' inputs were seen, so that their acquisition can be compared with a query's. */
    public boolean hasTokenStatistics() {
        return tokenStatistics != null;
    }

    public int size() {
        return vectors.length;
    }

    public boolean labelled() {
        return labels.length > 0 && labels[0] != UNLABELLED;
    }

    /** Distinct classes, 0 when unlabelled. */
    public int classes() {
        return labelled() ? Arrays.stream(labels).max().orElse(-1) + 1 : 0;
    }
}
