package io.callosum.coordinator.console;

import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.audit.ChainVerification;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.RoundRecord;
import io.callosum.coordinator.federation.SitePrivacySpend;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.participants.SiteDirectory;
import io.callosum.coordinator.participants.SiteExclusions;
import io.callosum.coordinator.tls.CertificateRevocations;
import io.callosum.protocol.pki.Fingerprints;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
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
    /** A certificate this close to its expiry is flagged, in time for the site to get a new one. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final FederationRecords records;
    private final ParticipantRegistry participants;
    private final SiteDirectory sites;
    private final SiteExclusions exclusions;
    private final CertificateRevocations revocations;
    private final AuditLog audit;

    public ConsoleView(FederationRecords records, ParticipantRegistry participants, SiteDirectory sites,
                       SiteExclusions exclusions, CertificateRevocations revocations, AuditLog audit) {
        this.records = records;
        this.participants = participants;
        this.sites = sites;
        this.exclusions = exclusions;
        this.revocations = revocations;
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

    /**
     * A site: known to the directory, whether it is connected now with how many subjects per modality, the
     * certificate it last presented, the privacy it last said it spent, and what operators did to it.
     */
    public record SiteView(String name, List<String> modalities, String status, OffsetDateTime lastSeenAt,
                           boolean connected, Map<String, Integer> subjects, Optional<CertificateView> certificate,
                           Optional<SitePrivacySpend> privacy, Optional<SiteExclusions.Exclusion> exclusion,
                           Optional<CertificateRevocations.Revocation> revocation) {
    }

    /**
     * A site's certificate with whole days left until it expires (negative once it has); {@code expiresSoon} within
     * {@link #EXPIRY_WARNING}, expired ones included.
     */
    public record CertificateView(String serial, String fingerprint, OffsetDateTime notAfter, long daysLeft,
                                  boolean expired, boolean expiresSoon) {
        static CertificateView of(SiteDirectory.PresentedCertificate certificate, OffsetDateTime now) {
            Duration left = Duration.between(now, certificate.notAfter());
            return new CertificateView(certificate.serial(), certificate.fingerprint(), certificate.notAfter(),
                    Math.floorDiv(left.toSeconds(), Duration.ofDays(1).toSeconds()), left.isNegative(),
                    left.compareTo(EXPIRY_WARNING) < 0);
        }
    }

    public List<SiteView> sites() {
        Map<String, Participant> connected = new LinkedHashMap<>();
        participants.connected().forEach(p -> connected.put(p.name(), p));
        Map<String, SitePrivacySpend> privacy = records.privacyBySite();
        OffsetDateTime now = OffsetDateTime.now();
        List<SiteView> views = new ArrayList<>();
        for (SiteDirectory.KnownSite site : sites.all()) {
            Optional<Participant> live = Optional.ofNullable(connected.get(site.name()));
            Map<String, Integer> subjects = new LinkedHashMap<>();
            live.flatMap(Participant::site).ifPresent(p -> p.subjects().forEach((m, n) -> subjects.put(m.tag(), n)));
            Optional<CertificateRevocations.Revocation> revoked = site.certificate()
                    .flatMap(c -> revocations.of(Fingerprints.parseSerial(c.serial())));
            views.add(new SiteView(site.name(), site.modalities(), site.status(), site.lastSeenAt(),
                    live.isPresent(), subjects, site.certificate().map(c -> CertificateView.of(c, now)),
                    Optional.ofNullable(privacy.get(site.name())), exclusions.of(site.name()), revoked));
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
