package io.callosum.coordinator;

import io.callosum.coordinator.audit.AuditLog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;

/** Records the coordinator's starts and stops in the audit log and tells the operator where to find it. */
@ApplicationScoped
public class CoordinatorLifecycle {
    private static final Logger LOG = Logger.getLogger(CoordinatorLifecycle.class);
    private static final String ACTOR = "coordinator";

    private final AuditLog auditLog;
    private final String databaseUrl;

    public CoordinatorLifecycle(AuditLog auditLog,
                                @ConfigProperty(name = "quarkus.datasource.jdbc.url") String databaseUrl) {
        this.auditLog = auditLog;
        this.databaseUrl = databaseUrl;
    }

    void onStart(@Observes StartupEvent event) {
        long earlier = auditLog.count();
        auditLog.record(ACTOR, "coordinator.started", ACTOR, Map.of("database", databaseUrl));
        LOG.infof("Coordinator started on %s; the audit log already held %d entries", databaseUrl, earlier);
    }

    void onStop(@Observes ShutdownEvent event) {
        auditLog.record(ACTOR, "coordinator.stopped", ACTOR, Map.of());
    }
}
