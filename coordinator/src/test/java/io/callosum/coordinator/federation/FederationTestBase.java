package io.callosum.coordinator.federation;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every federation test against the running coordinator needs. Tests share one coordinator, so each starts
 * only once the participants of the previous one are gone.
 */
abstract class FederationTestBase {
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int port;

    @Inject
    FederationService federations;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ParticipantRegistry participants;

    @Inject
    AuditLog auditLog;

    @BeforeEach
    void noLeftovers() throws Exception {
        FederationTestSupport.awaitNoParticipants(participants);
    }
}
