package io.callosum.encoders.synth;

import java.util.List;

/** The planned cohort: every site's profile and every subject's latent state, before any file is written. */
public record Cohort(CohortSpec spec, List<SiteProfile> sites, List<SubjectState> subjects) {

    public List<SubjectState> subjectsAt(int site) {
        return subjects.stream().filter(s -> s.site() == site).toList();
    }
}
