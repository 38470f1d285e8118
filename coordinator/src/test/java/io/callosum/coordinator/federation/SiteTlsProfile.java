package io.callosum.coordinator.federation;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The coordinator with mTLS on its site listener, over a consortium provisioned for the test. */
public class SiteTlsProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ConsortiumResource.class));
    }
}
