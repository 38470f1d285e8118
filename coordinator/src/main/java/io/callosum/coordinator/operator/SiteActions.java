package io.callosum.coordinator.operator;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.participants.ListenerKind;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.participants.SiteDirectory;
import io.callosum.coordinator.participants.SiteExclusions;
import io.callosum.coordinator.tls.CertificateRevocations;
import io.callosum.coordinator.tls.SiteTlsSettings;
import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.RegisteredSite;
import io.callosum.protocol.pki.SiteRegistry;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator does to a site: exclude it from rounds and re-include it, or revoke its certificate. Each action
 * is audited under the operator's name with the reason given, and takes effect at once on a connected site.
 */
@ApplicationScoped
public class SiteActions {
    private static final Logger LOG = Logger.getLogger(SiteActions.class);

    private final SiteExclusions exclusions;
    private final CertificateRevocations revocations;
    private final SiteDirectory sites;
    private final ParticipantRegistry participants;
    private final AuditLog audit;
    private final SiteTlsSettings tls;

    public SiteActions(SiteExclusions exclusions, CertificateRevocations revocations, SiteDirectory sites,
                       ParticipantRegistry participants, AuditLog audit, SiteTlsSettings tls) {
        this.exclusions = exclusions;
        this.revocations = revocations;
        this.sites = sites;
        this.participants = participants;
        this.audit = audit;
        this.tls = tls;
    }

    /**
     * Takes a site out of the rounds from the next round on (a round it is in already keeps its answer); its
     * connection stays, so re-including it needs no reconnect. Empty if it was excluded already.
     */
    public Optional<SiteExclusions.Exclusion> exclude(String site, String reason, String actor) {
        Optional<SiteExclusions.Exclusion> excluded = exclusions.exclude(site, reason, actor);
        excluded.ifPresent(exclusion -> {
            boolean connected = participants.byName(site).isPresent();
            audit.record(actor, "site.excluded", site, Map.of("reason", exclusion.reason(), "connected", connected));
            LOG.warnf("[%s] excluded from rounds by %s: %s", site, actor, exclusion.reason());
        });
        return excluded;
    }

    /** Lets an excluded site take part in rounds again; empty if it was not excluded. */
    public Optional<SiteExclusions.Exclusion> include(String site, String actor) {
        Optional<SiteExclusions.Exclusion> lifted = exclusions.include(site);
        lifted.ifPresent(exclusion -> {
            audit.record(actor, "site.included", site, Map.of("excluded_by", exclusion.excludedBy(),
                    "excluded_at", exclusion.excludedAt().toString()));
            LOG.infof("[%s] re-included in rounds by %s", site, actor);
            participants.changed();
        });
        return lifted;
    }

    /**
     * Revokes the certificate the site last presented (else the one the registry lists for it): refused from its
     * next connection, and its current connection, if any, is ended. Empty if that certificate was revoked already.
     */
    public Optional<CertificateRevocations.Revocation> revokeCertificate(String site, String reason, String actor) {
        BigInteger serial = currentSerial(site);
        Optional<CertificateRevocations.Revocation> revoked = revocations.revoke(site, serial, reason, actor);
        revoked.ifPresent(revocation -> {
            Optional<Participant> connected = participants.byName(site)
                    .filter(p -> p.listener() == ListenerKind.SITES);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("serial", revocation.serial());
            detail.put("reason", revocation.reason());
            detail.put("crl_number", revocation.crlNumber().map(BigInteger::toString).orElse(null));
            detail.put("disconnected", connected.isPresent());
            audit.record(actor, "certificate.revoked", site, detail);
            LOG.warnf("[%s] certificate serial %s revoked by %s: %s", site, revocation.serial(), actor,
                    revocation.reason());
            connected.ifPresent(p -> p.refuse(Status.UNAUTHENTICATED, "certificate serial " + revocation.serial()
                    + " was revoked by " + actor + ": " + revocation.reason()));
        });
        return revoked;
    }

    private BigInteger currentSerial(String site) {
        Optional<String> presented = sites.byName(site).flatMap(SiteDirectory.KnownSite::certificate)
                .map(SiteDirectory.PresentedCertificate::serial);
        if (presented.isPresent()) {
            return Fingerprints.parseSerial(presented.get());
        }
        return registered(site).map(RegisteredSite::serial).orElseThrow(() -> new IllegalArgumentException("site '"
                + site + "' has presented no certificate to this coordinator and is not in the consortium registry"
                + (tls.enabled() ? "" : " (the site listener is not on mTLS: " + SiteTlsSettings.ENABLED
                + "=false)")));
    }

    private Optional<RegisteredSite> registered(String site) {
        if (tls.dir().isEmpty()) {
            return Optional.empty();
        }
        ConsortiumDirectory pki = new ConsortiumDirectory(tls.dir().get());
        if (!Files.isReadable(pki.registry())) {
            return Optional.empty();
        }
        try {
            return SiteRegistry.read(pki.registry()).site(site);
        } catch (IOException e) {
            throw new UncheckedIOException("the consortium registry " + pki.registry() + " could not be read", e);
        }
    }
}
