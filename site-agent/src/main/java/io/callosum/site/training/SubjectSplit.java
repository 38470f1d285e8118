package io.callosum.site.training;

import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.data.SubjectEntry;
import io.callosum.encoders.diagnostics.ProbeSplit;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The site's held-out subjects, chosen once per subject (not per modality, so that a subject held out of one
 * modality is held out of all) and stratified by diagnosis, subjects without one forming their own stratum. They are
 * never trained on; evaluation scores on them.
 */
record SubjectSplit(Set<String> heldOut) {
    static final double HELD_OUT_FRACTION = 0.3;

    SubjectSplit {
        heldOut = Set.copyOf(heldOut);
    }

    static SubjectSplit stratified(SiteCatalog catalog, long seed) {
        List<SubjectEntry> subjects = catalog.subjects();
        int unlabelled = subjects.stream().mapToInt(s -> s.diagnosis().orElse(-1)).max().orElse(-1) + 1;
        int[] strata = subjects.stream().mapToInt(s -> s.diagnosis().orElse(unlabelled)).toArray();
        int[] test = ProbeSplit.stratified(strata, HELD_OUT_FRACTION, seed).test();
        return new SubjectSplit(Arrays.stream(test).mapToObj(i -> subjects.get(i).id()).collect(Collectors.toSet()));
    }

    ModalityDataset train(ModalityDataset all) {
        return select(all, id -> !heldOut.contains(id));
    }

    ModalityDataset heldOut(ModalityDataset all) {
        return select(all, heldOut::contains);
    }

    private static ModalityDataset select(ModalityDataset all, Predicate<String> keep) {
        int[] rows = IntStream.range(0, all.size()).filter(i -> keep.test(all.subjects().get(i))).toArray();
        return new ModalityDataset(all.modality(), all.geometry(),
                Arrays.stream(rows).mapToObj(all.subjects()::get).toList(),
                Arrays.stream(rows).mapToObj(i -> all.inputs()[i]).toArray(float[][]::new),
                Arrays.stream(rows).map(i -> all.diagnoses()[i]).toArray());
    }
}
