package io.callosum.coordinator.federation;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.flower.FlowerMetrics;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.coordinator.tls.SiteTlsSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts federations and resumes those a stopped coordinator left running; each runs its {@link RoundEngine} on
 * a thread of its own, stopped (and so resumable) when the coordinator shuts down.
 */
@ApplicationScoped
public class FederationService {
    private static final Logger LOG = Logger.getLogger(FederationService.class);

    private final FederationSettings settings;
    private final FederationRecords records;
    private final RoundEngine.EngineServices services;
    private final Map<String, Thread> engines = new ConcurrentHashMap<>();

    public FederationService(FederationSettings settings, FederationRecords records, ParticipantRegistry participants,
                             ModelRegistry models, ModelStorage storage, AuditLog audit, FlowerMetrics metrics,
                             SiteTlsSettings siteTls) {
        this.settings = settings;
        this.records = records;
        this.services = new RoundEngine.EngineServices(participants, models, records, storage, audit, metrics,
                siteTls.enabled());
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.autostart()) {
            start(FederationPlan.from(settings));
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        engines.values().forEach(Thread::interrupt);
        for (Thread engine : engines.values()) {
            engine.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /**
     * Runs the federation the plan names: a new one is created; one a stopped coordinator left unfinished resumes
     * with the plan it was created with (a different plan under the same name is ignored, and said so).
     */
    public StoredFederation start(FederationPlan plan) {
        return start(plan, "coordinator");
    }

    /** As {@link #start(FederationPlan)}, on behalf of {@code actor} (an operator, a token), who is audited. */
    public synchronized StoredFederation start(FederationPlan plan, String actor) {
        if (plan == null) {
            throw new IllegalArgumentException("expected a federation plan as the JSON body");
        }
        StoredFederation federation = records.find(plan.name()).orElseGet(() -> {
            StoredFederation created = records.create(plan);
            services.audit().record(actor, "federation.created", plan.name(),
                    Map.of("strategy", plan.strategy().name(), "rounds", plan.rounds(), "kind", plan.kind().tag()));
            return created;
        });
        if (!federation.plan().equals(plan)) {
            LOG.warnf("[%s] exists with another plan; resuming it with its stored plan %s", plan.name(),
                    federation.plan());
        }
        if (federation.finished()) {
            LOG.infof("[%s] is %s; nothing to run", plan.name(), federation.status());
            return federation;
        }
        Thread running = engines.get(plan.name());
        if (running == null || !running.isAlive()) {
            Thread engine = new Thread(new RoundEngine(federation, services), "federation-" + plan.name());
            engines.put(plan.name(), engine);
            engine.start();
        }
        return federation;
    }

    /**
     * Stops a federation for good, as an operator asked: its engine is interrupted and it is marked cancelled, so a
     * restarted coordinator does not resume it. False if there is no such federation or it had already finished.
     */
    public synchronized boolean stop(String name, String actor) throws InterruptedException {
        Thread engine = engines.remove(name);
        if (engine != null) {
            engine.interrupt();
            engine.join(Duration.ofSeconds(10).toMillis());
        }
        StoredFederation federation = records.find(name).orElse(null);
        if (federation == null || federation.finished()) {
            return false;
        }
        records.setStatus(federation.id(), "cancelled", "stopped by " + actor);
        services.audit().record(actor, "federation.stopped", name, Map.of("status_before", federation.status()));
        return true;
    }

    /** Waits until the federation's engine stopped; true if it did within the timeout. */
    public boolean awaitFinished(String name, Duration timeout) throws InterruptedException {
        Thread engine = engines.get(name);
        if (engine == null) {
            return true;
        }
        engine.join(timeout.toMillis());
        return !engine.isAlive();
    }
}
