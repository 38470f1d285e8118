package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a site agent tells the coordinator in {@code GetPropertiesRes}: who it is and how many subjects it holds
 * per modality. A stock Flower client answers with empty properties, which is how the coordinator tells the two
 * apart.
 */
public record SiteProperties(String site, Map<Modality, Integer> subjects) {
    static final String SITE = "callosum.site";
    static final String SUBJECTS = "callosum.subjects.";

    public SiteProperties {
        Objects.requireNonNull(site, "site");
        subjects = Map.copyOf(subjects);
    }

    public Set<Modality> modalities() {
        return subjects.keySet();
    }

    public Map<String, Scalar> toProperties() {
        Map<String, Scalar> properties = new LinkedHashMap<>();
        properties.put(SITE, ScalarMaps.of(site));
        subjects.forEach((modality, count) -> properties.put(SUBJECTS + modality.tag(), ScalarMaps.of(count)));
        return properties;
    }

    /** The site agent's properties, or empty for a participant that is not a Callosum site agent. */
    public static Optional<SiteProperties> from(Map<String, Scalar> properties) {
        String where = "get_properties_res";
        Optional<String> site = ScalarMaps.optionalString(properties, SITE, where);
        if (site.isEmpty()) {
            return Optional.empty();
        }
        Map<Modality, Integer> subjects = ScalarMaps.byModality(properties, SUBJECTS, where, ScalarMaps::positiveInt);
        if (subjects.isEmpty()) {
            throw new ConfigFormatException(where + ": site '" + site.get() + "' reports no modality ("
                    + SUBJECTS + "<modality> entries)");
        }
        return Optional.of(new SiteProperties(site.get(), subjects));
    }
}
