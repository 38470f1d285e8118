package io.callosum.alignment.binding;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.tensor.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The subjects a site observed in both a modality and the anchor, in the modality's row order, with both rows. */
record SubjectPairs(Modality modality, List<String> subjects, int[] rows, int[] anchorRows) {

    static SubjectPairs of(SubjectEmbeddings embeddings, SubjectEmbeddings anchor) {
        Map<String, Integer> anchorRows = anchor.rows();
        List<String> subjects = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            Integer match = anchorRows.get(embeddings.subjects().get(i));
            if (match != null) {
                subjects.add(embeddings.subjects().get(i));
                rows.add(i);
                matches.add(match);
            }
        }
        return new SubjectPairs(embeddings.modality(), subjects, rows.stream().mapToInt(Integer::intValue).toArray(),
                matches.stream().mapToInt(Integer::intValue).toArray());
    }

    int size() {
        return subjects.size();
    }
}
