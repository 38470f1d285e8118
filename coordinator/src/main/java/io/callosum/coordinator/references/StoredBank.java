package io.callosum.coordinator.references;

import java.time.OffsetDateTime;
import java.util.List;

/** A registered reference bank: its name, the model version its embeddings come from, and what it holds. */
public record StoredBank(long id, String name, long modelVersion, String createdBy, OffsetDateTime createdAt,
                         List<Part> modalities) {

    /** One modality's subjects in the bank: how many, and how many classes their labels name (0: unlabelled). */
    public record Part(String modality, int subjects, int classes) {
    }

    public StoredBank {
        modalities = List.copyOf(modalities);
    }

    public boolean holds(String modality) {
        return modalities.stream().anyMatch(part -> part.modality().equals(modality));
    }
}
