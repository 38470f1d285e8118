package io.callosum.coordinator.participants;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.flower.FlowerMetrics;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The coordinator's client manager (Flower's split: strategy, client manager, server). Every new stream is first
 * asked for its properties: a site agent names itself and its modalities, a stock Flower client answers with none.
 * Only identified participants become available to rounds, and only while no operator excluded their site: an
 * excluded site's stream is admitted but never sampled, so re-including it takes effect without a reconnect.
 */
@ApplicationScoped
public class ParticipantRegistry {
    private static final Logger LOG = Logger.getLogger(ParticipantRegistry.class);
    static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final ServerMessage GET_PROPERTIES = ServerMessage.newBuilder()
            .setGetPropertiesIns(ServerMessage.GetPropertiesIns.getDefaultInstance()).build();

    private final AuditLog auditLog;
    private final SiteDirectory sites;
    private final FlowerMetrics metrics;
    private final SiteExclusions exclusions;
    private final Map<String, Participant> available = new LinkedHashMap<>();

    public ParticipantRegistry(AuditLog auditLog, SiteDirectory sites, FlowerMetrics metrics,
                               SiteExclusions exclusions) {
        this.auditLog = auditLog;
        this.sites = sites;
        this.metrics = metrics;
        this.exclusions = exclusions;
    }

    /** A new {@code Join} stream: asks who it is, and admits it once it answered. */
    public Participant join(ListenerKind listener, StreamObserver<ServerMessage> toClient) {
        String stream = "p-" + UUID.randomUUID().toString().substring(0, 8);
        Participant participant = new Participant(stream, listener, toClient, this::left);
        metrics.joined();
        participant.ask(GET_PROPERTIES).whenComplete((answer, error) -> {
            if (error == null) {
                identify(participant, answer);
            }
        });
        return participant;
    }

    /**
     * Participants of a listener that are connected, not excluded and have no instruction outstanding, oldest
     * first: those a round may select.
     */
    public synchronized List<Participant> idle(ListenerKind listener) {
        return available.values().stream()
                .filter(p -> p.listener() == listener && p.idle() && !exclusions.excluded(p.name())).toList();
    }

    public synchronized List<Participant> connected() {
        return List.copyOf(available.values());
    }

    public synchronized Optional<Participant> byName(String name) {
        return Optional.ofNullable(available.get(name));
    }

    /** Waits until at least {@code count} idle participants of a listener are there, or the deadline passes. */
    public synchronized List<Participant> awaitIdle(ListenerKind listener, int count, Instant deadline)
            throws InterruptedException {
        List<Participant> idle = idle(listener);
        while (idle.size() < count) {
            long wait = Duration.between(Instant.now(), deadline).toMillis();
            if (wait <= 0) {
                break;
            }
            wait(Math.min(wait, 1000));
            idle = idle(listener);
        }
        return idle;
    }

    /** Wakes whoever waits for idle participants: an answer makes a busy participant idle again. */
    public synchronized void changed() {
        notifyAll();
    }

    private void identify(Participant participant, ClientMessage answer) {
        if (!answer.hasGetPropertiesRes() || answer.getGetPropertiesRes().getStatus().getCode() != Code.OK) {
            participant.refuse(Status.FAILED_PRECONDITION, "expected get_properties_res with status OK, got "
                    + answer.getMsgCase().name().toLowerCase());
            return;
        }
        Optional<SiteProperties> site;
        try {
            site = SiteProperties.from(answer.getGetPropertiesRes().getPropertiesMap());
        } catch (IllegalArgumentException e) {
            participant.refuse(Status.INVALID_ARGUMENT, e.getMessage());
            return;
        }
        if (participant.listener() == ListenerKind.SITES) {
            if (site.isEmpty()) {
                refuse(participant, "participant.refused", "this listener admits Callosum site agents only; a stock"
                        + " Flower client joins through the plain listener (callosum.flower.plain-listener.enabled)");
                return;
            }
            if (!SITE_NAME.matcher(site.get().site()).matches()) {
                refuse(participant, "participant.refused", "site name '" + site.get().site()
                        + "' must be 1-63 lower-case letters, digits and dashes");
                return;
            }
            participant.identify(site.get());
            sites.seen(site.get());
        }
        Participant replaced;
        synchronized (this) {
            replaced = available.put(participant.name(), participant);
            notifyAll();
        }
        if (replaced != null && replaced != participant) {
            replaced.refuse(Status.ABORTED, "superseded by a newer connection of " + participant.name());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("listener", participant.listener().name().toLowerCase());
        detail.put("modalities", participant.modalities().stream().map(Object::toString).sorted().toList());
        site.ifPresent(s -> detail.put("subjects", s.subjects().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()));
        Optional<SiteExclusions.Exclusion> excluded = exclusions.of(participant.name());
        excluded.ifPresent(e -> detail.put("excluded", "by " + e.excludedBy() + ": " + e.reason()));
        auditLog.record(participant.name(), "participant.joined", participant.name(), detail);
        LOG.infof("[%s] joined through the %s listener with %s", participant.name(),
                participant.listener().name().toLowerCase(), detail.get("modalities"));
        excluded.ifPresent(e -> LOG.warnf("[%s] is excluded by %s since %s (%s); no round selects it until an"
                + " operator re-includes it", participant.name(), e.excludedBy(), e.excludedAt(), e.reason()));
    }

    private void refuse(Participant participant, String action, String reason) {
        metrics.refused();
        LOG.warnf("[%s] refused: %s", participant.name(), reason);
        auditLog.record(participant.name(), action, participant.name(), Map.of("reason", reason));
        participant.refuse(Status.PERMISSION_DENIED, reason);
    }

    private void left(Participant participant) {
        boolean known;
        synchronized (this) {
            known = available.remove(participant.name(), participant);
            notifyAll();
        }
        metrics.left();
        if (known) {
            LOG.infof("[%s] left", participant.name());
            auditLog.record(participant.name(), "participant.left", participant.name(), Map.of());
        }
    }

    /** Ends every connected participant's run, as Flower's server does after its last round. */
    public void endRuns(ListenerKind listener) {
        List<Participant> ending;
        synchronized (this) {
            ending = new ArrayList<>(available.values());
        }
        ending.stream().filter(p -> p.listener() == listener).forEach(Participant::endRun);
    }
}
