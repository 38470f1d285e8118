package io.callosum.alignment.space;

import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.protocol.tensor.Modality;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One vector per subject, all of one modality: a frozen encoder's pooled embeddings, or their images in the
 * shared space. Rows follow {@code subjects}; ids are unique, rows equally wide and finite. The arrays are not
 * copied: do not change them afterwards.
 */
public record SubjectEmbeddings(Modality modality, List<String> subjects, float[][] vectors) {

    public SubjectEmbeddings {
        Objects.requireNonNull(modality, "modality");
        subjects = List.copyOf(subjects);
        if (vectors.length != subjects.size()) {
            throw new IllegalArgumentException(modality + " embeddings: " + subjects.size() + " subject ids for "
                    + vectors.length + " vectors");
        }
        if (vectors.length == 0) {
            throw new IllegalArgumentException(modality + " embeddings: no subjects");
        }
        Map<String, Integer> seen = new HashMap<>();
        int width = vectors[0].length;
        if (width == 0) {
            throw new IllegalArgumentException(modality + " embeddings: vectors are empty");
        }
        for (int i = 0; i < vectors.length; i++) {
            String subject = subjects.get(i);
            Integer earlier = seen.putIfAbsent(subject, i);
            if (earlier != null) {
                throw new IllegalArgumentException(modality + " embeddings: subject '" + subject
                        + "' appears twice (rows " + earlier + " and " + i + ")");
            }
            if (vectors[i].length != width) {
                throw new IllegalArgumentException(modality + " embeddings: subject '" + subject + "' has a vector of "
                        + vectors[i].length + " values, the first subject's has " + width);
            }
            for (int j = 0; j < width; j++) {
                if (!Float.isFinite(vectors[i][j])) {
                    throw new IllegalArgumentException(modality + " embeddings: subject '" + subject + "' holds "
                            + vectors[i][j] + " at position " + j);
                }
            }
        }
    }

    /** A site's frozen encoder embeddings of one modality: the pooled encoder output the linear probe uses. */
    public static SubjectEmbeddings of(ModalityDataset dataset, JepaTrainer encoder) {
        return new SubjectEmbeddings(dataset.modality(), dataset.subjects(), encoder.embed(dataset.inputs()));
    }

    public int size() {
        return vectors.length;
    }

    public int width() {
        return vectors[0].length;
    }

    /** Row of each subject id. */
    public Map<String, Integer> rows() {
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < subjects.size(); i++) {
            rows.put(subjects.get(i), i);
        }
        return rows;
    }
}
