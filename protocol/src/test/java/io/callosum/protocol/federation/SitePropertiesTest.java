package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SitePropertiesTest {

    @Test
    void aSitesInventorySurvivesItsProperties() {
        SiteProperties site = new SiteProperties("site-01", Map.of(Modality.EEG, 40, Modality.OMICS, 38));
        assertEquals(Optional.of(site), SiteProperties.from(site.toProperties()));
        assertEquals(Optional.empty(), SiteProperties.from(Map.of()), "a stock Flower client sends none");
    }

    @Test
    void aSubjectCountForAnUnknownModalityOrOfNoCountIsRefusedByItsKey() {
        Map<String, Scalar> properties = new SiteProperties("site-01", Map.of(Modality.EEG, 40)).toProperties();
        properties.put("callosum.subjects.mri", ScalarMaps.of(12L));
        ConfigFormatException refusal = assertThrows(ConfigFormatException.class,
                () -> SiteProperties.from(properties));
        assertTrue(refusal.getMessage().contains("get_properties_res: 'callosum.subjects.mri' names no modality:"
                + " unknown modality 'mri'"), refusal.getMessage());

        properties.remove("callosum.subjects.mri");
        properties.put("callosum.subjects.omics", ScalarMaps.of(-3L));
        refusal = assertThrows(ConfigFormatException.class, () -> SiteProperties.from(properties));
        assertTrue(refusal.getMessage().contains("'callosum.subjects.omics' must be a positive int, got -3"),
                refusal.getMessage());
    }
}
