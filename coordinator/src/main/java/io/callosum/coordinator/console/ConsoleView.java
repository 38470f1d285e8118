package io.callosum.coordinator.console;

import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.audit.ChainVerification;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.RoundRecord;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.participants.SiteDirectory;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what the console's pages show from the records the coordinator already keeps. */
@ApplicationScoped
public class ConsoleView {
    private final FederationRecords records;
    private final ParticipantRegistry participants;
    private final SiteDirectory sites;
    private final AuditLog audit;

    public ConsoleView(FederationRecords records, ParticipantRegistry participants, SiteDirectory sites,
                       AuditLog audit) {
        this.records = records;
        this.participants = participants;
        this.sites = sites;
        this.audit = audit;
    }

    /** Newest first. */
    public List<FederationSnapshot> federations() {
        List<String> names = new ArrayList<>(records.names());
        Collections.reverse(names);
        List<FederationSnapshot> snapshots = new ArrayList<>();
        for (String name : names) {
            records.find(name).ifPresent(federation -> snapshots.add(snapshot(federation)));
        }
        return snapshots;
    }

    private FederationSnapshot snapshot(StoredFederation federation) {
        List<FederationSnapshot.RoundSummary> rounds = new ArrayList<>();
        int completed = 0;
        for (RoundRecord round : records.rounds(federation.id())) {
            rounds.add(new FederationSnapshot.RoundSummary(round.round(), round.attempt(), round.status(),
                    round.failureReason(), round.metrics()));
            if (round.status().equals("completed")) {
                completed = Math.max(completed, round.round());
            }
        }
        return new FederationSnapshot(federation.plan().name(), federation.plan().kind().tag(), federation.status(),
                federation.failureReason(), federation.plan().rounds(), completed, rounds);
    }

    /** A site: known to the directory, and whether it is connected now with how many subjects per modality. */
    public record SiteView(String name, List<String> modalities, String status, OffsetDateTime lastSeenAt,
                           boolean connected, Map<String, Integer> subjects) {
    }

    public List<SiteView> sites() {
        Map<String, Participant> connected = new LinkedHashMap<>();
        participants.connected().forEach(p -> connected.put(p.name(), p));
        List<SiteView> views = new ArrayList<>();
        for (SiteDirectory.KnownSite site : sites.all()) {
            Optional<Participant> now = Optional.ofNullable(connected.get(site.name()));
            Map<String, Integer> subjects = new LinkedHashMap<>();
            now.flatMap(Participant::site).ifPresent(p -> p.subjects().forEach((m, n) -> subjects.put(m.tag(), n)));
            views.add(new SiteView(site.name(), site.modalities(), site.status(), site.lastSeenAt(),
                    now.isPresent(), subjects));
        }
        return views;
    }

    /** The newest audit entries and the verification of the whole chain. */
    public record AuditView(ChainVerification chain, List<AuditEntry> entries) {
    }

    public AuditView audit(int limit) {
        return new AuditView(audit.verify(), audit.latest(limit, null));
    }
}
