package io.callosum.site.training;

import io.callosum.protocol.tensor.Modality;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The modalities a site holds and how many subjects have each (training and held-out together). */
public record SiteInventory(String site, Map<Modality, Integer> subjects) {

    public SiteInventory {
        subjects = Collections.unmodifiableMap(new EnumMap<>(subjects));
    }
}
