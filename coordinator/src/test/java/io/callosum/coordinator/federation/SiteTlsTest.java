package io.callosum.coordinator.federation;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.TestAccess;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.pki.CertificateAuthority;
import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.IssuedCertificate;
import io.callosum.protocol.pki.Pem;
import io.callosum.protocol.pki.Validity;
import io.callosum.protocol.tensor.Modality;
import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.flower.SiteTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mTLS on the site listener over real TLS on loopback, one coordinator for all cases: who is admitted, who is
 * refused by the handshake and who by the identity check, and what the audit log says about each; and an operator
 * revoking a site's certificate from the console.
 */
@QuarkusTest
@TestProfile(SiteTlsProfile.class)
class SiteTlsTest extends FederationTestBase {
    @ConfigProperty(name = "callosum.tls.dir")
    Path dir;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aProvisionedSiteJoinsUnderItsCertificatesName() throws Exception {
        try (ScriptedParticipant site = new ScriptedParticipant(channel(provisioned("st-olav")), claiming("st-olav"))) {
            FederationTestSupport.awaitConnected(participants, 1);
            assertTrue(participants.byName("st-olav").isPresent(), "st-olav is in the registry");
        }
        AuditEntry authenticated = latest(e -> e.action().equals("participant.authenticated")
                && e.subject().equals("st-olav"));
        assertEquals("TLSv1.3", authenticated.detail().get("protocol").asText());
    }

    @Test
    void aSiteAgentDialsWithItsProvisionedFiles(@TempDir Path cohort) throws Exception {
        new CohortGenerator(new CohortSpec(12, 1, 5, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        SiteAgentSettings settings = SiteAgentSettings.of("localhost:" + port, "karolinska", cohort.resolve("site-01"))
                .withTls(SiteTls.fromDirectory(dir, "karolinska"));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (SiteAgent agent = new SiteAgent(settings)) {
            runner.submit(agent::run);
            FederationTestSupport.awaitConnected(participants, 1);
            assertTrue(participants.byName("karolinska").isPresent(), "the agent joined as karolinska");
        } finally {
            runner.shutdownNow();
        }
        latest(e -> e.action().equals("participant.authenticated") && e.subject().equals("karolinska"));
    }

    @Test
    void aCertificateFromAForeignCaCannotConnect() throws Exception {
        CertificateAuthority foreign = CertificateAuthority.create("Elsewhere", Validity.from(Instant.now(),
                Duration.ofDays(9)));
        IssuedCertificate stranger = foreign.issueSite("st-olav", Optional.empty(),
                Validity.from(Instant.now(), Duration.ofDays(9)));
        try (ScriptedParticipant site = new ScriptedParticipant(channel(stranger), claiming("st-olav"))) {
            ScriptedParticipant.Ending ending = site.awaitEnding(20);
            assertEquals(Status.Code.UNAVAILABLE, ending.status().getCode(), ending.status().toString());
            assertTrue(site.received().isEmpty(), "the coordinator never spoke to it");
        }
    }

    @Test
    void anExpiredCertificateIsRefusedWithItsExpiryDate() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate expired = ca().issueSite("karolinska", Optional.empty(),
                new Validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
        try (ScriptedParticipant site = new ScriptedParticipant(channel(expired), claiming("karolinska"))) {
            ScriptedParticipant.Ending ending = site.awaitEnding(20);
            assertEquals(Status.Code.UNAUTHENTICATED, ending.status().getCode(), ending.status().toString());
            String reason = "expired on " + expired.certificate().getNotAfter().toInstant();
            assertEquals(reason, ending.status().getDescription());
            assertTrue(site.received().isEmpty(), "the coordinator never spoke to it");
        }
        assertRefusalAudited(reason -> reason.startsWith("expired on "));
    }

    @Test
    void tls12IsRefusedByTheHandshake() throws Exception {
        IssuedCertificate site = provisioned("st-olav");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("site", site.privateKey(), new char[0], new X509Certificate[] {site.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThrows(SSLException.class, socket::startHandshake);
        }
    }

    @Test
    void aSiteRevokedWhileTheCoordinatorRunsIsRefusedOnItsNextConnection() throws Exception {
        IssuedCertificate aker = provisioned("aker");
        try (ScriptedParticipant site = new ScriptedParticipant(channel(aker), claiming("aker"))) {
            FederationTestSupport.awaitConnected(participants, 1);
            assertTrue(participants.byName("aker").isPresent());
        }
        FederationTestSupport.awaitNoParticipants(participants);

        new ConsortiumDirectory(dir).revokeSite("aker", Instant.now(), Duration.ofDays(30));

        try (ScriptedParticipant site = new ScriptedParticipant(channel(aker), claiming("aker"))) {
            ScriptedParticipant.Ending ending = site.awaitEnding(20);
            assertEquals(Status.Code.UNAUTHENTICATED, ending.status().getCode(), ending.status().toString());
            String reason = "revoked serial " + Fingerprints.serial(aker.certificate().getSerialNumber());
            assertTrue(ending.status().getDescription().startsWith(reason), ending.status().getDescription());
            assertTrue(site.received().isEmpty(), "the coordinator never spoke to it");
        }
        assertRefusalAudited(reason -> reason.startsWith("revoked serial "));
    }

    @Test
    void anOperatorRevokesAConnectedSitesCertificateFromTheConsoleForGood() throws Exception {
        IssuedCertificate haukeland = provisioned("haukeland");
        String serial = Fingerprints.serial(haukeland.certificate().getSerialNumber());
        String admin = TestAccess.admin();
        ScriptedParticipant first = new ScriptedParticipant(channel(haukeland), claiming("haukeland"));
        try (first) {
            FederationTestSupport.awaitConnected(participants, 1);
            long daysLeft = Duration.between(Instant.now(), haukeland.certificate().getNotAfter().toInstant())
                    .toDays();
            given().cookie(TestAccess.SESSION_COOKIE, admin).when().get("/console/api/sites").then()
                    .statusCode(200)
                    .body("find { it.name == 'haukeland' }.certificate.serial", equalTo(serial))
                    .body("find { it.name == 'haukeland' }.certificate.daysLeft", equalTo((int) daysLeft))
                    .body("find { it.name == 'haukeland' }.certificate.expiresSoon", equalTo(false));

            given().cookie(TestAccess.SESSION_COOKIE, admin).contentType(ContentType.JSON)
                    .body(Map.of("reason", "laptop with the key was stolen")).when()
                    .post("/console/api/sites/haukeland/certificate/revocation").then().statusCode(200)
                    .body("serial", equalTo(serial)).body("revokedBy", equalTo("admin"))
                    .body("crlNumber", notNullValue());
            ScriptedParticipant.Ending ending = first.awaitEnding(20);
            assertEquals(Status.Code.UNAUTHENTICATED, ending.status().getCode(), ending.status().toString());
            assertEquals("certificate serial " + serial + " was revoked by admin: laptop with the key was stolen",
                    ending.status().getDescription());
        }
        FederationTestSupport.awaitNoParticipants(participants);

        try (ScriptedParticipant again = new ScriptedParticipant(channel(haukeland), claiming("haukeland"))) {
            ScriptedParticipant.Ending ending = again.awaitEnding(20);
            assertEquals(Status.Code.UNAUTHENTICATED, ending.status().getCode(), ending.status().toString());
            assertTrue(ending.status().getDescription().startsWith("revoked serial " + serial),
                    ending.status().getDescription());
            assertTrue(again.received().isEmpty(), "the coordinator never spoke to it");
        }
        // What a restarted coordinator enforces: the CA-signed list on disk, and the operators' own record.
        X509CRL crl = Pem.readCrl(new ConsortiumDirectory(dir).revocationList());
        assertTrue(crl.getRevokedCertificate(haukeland.certificate().getSerialNumber()) != null, crl.toString());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT revoked_by, reason FROM certificate_revocations WHERE serial = ?")) {
            query.setString(1, serial);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "the revocation is stored");
                assertEquals("admin", row.getString(1));
            }
        }
        AuditEntry revoked = latest(e -> e.action().equals("certificate.revoked") && e.subject().equals("haukeland"));
        assertEquals("admin", revoked.actor());
        assertTrue(revoked.detail().get("disconnected").asBoolean(), revoked.detail().toString());
        given().cookie(TestAccess.SESSION_COOKIE, admin).contentType(ContentType.JSON)
                .body(Map.of("reason", "twice")).when()
                .post("/console/api/sites/haukeland/certificate/revocation").then().statusCode(409);
    }

    @Test
    void anUnregisteredSiteIsRefusedByName() throws Exception {
        IssuedCertificate intruder = ca().issueSite("intruder", Optional.empty(),
                Validity.from(Instant.now(), Duration.ofDays(1)));
        try (ScriptedParticipant site = new ScriptedParticipant(channel(intruder), claiming("intruder"))) {
            ScriptedParticipant.Ending ending = site.awaitEnding(20);
            assertEquals(Status.Code.UNAUTHENTICATED, ending.status().getCode(), ending.status().toString());
            assertTrue(ending.status().getDescription().startsWith("not registered: site \"intruder\""),
                    ending.status().getDescription());
        }
        assertRefusalAudited(reason -> reason.startsWith("not registered: site \"intruder\""));
    }

    @Test
    void aSiteClaimingAnotherNameIsRefusedNamingBoth() throws Exception {
        try (ScriptedParticipant site = new ScriptedParticipant(channel(provisioned("karolinska")),
                claiming("st-olav"))) {
            ScriptedParticipant.Ending ending = site.awaitEnding(20);
            assertEquals(Status.Code.PERMISSION_DENIED, ending.status().getCode(), ending.status().toString());
            assertEquals("site claims to be \"st-olav\" but its certificate names \"karolinska\"",
                    ending.status().getDescription());
        }
        assertTrue(participants.byName("st-olav").isEmpty(), "the impostor is not in the registry");
        assertTrue(participants.byName("karolinska").isEmpty());
        assertRefusalAudited(reason -> reason.contains("claims to be \"st-olav\""));
    }

    private void assertRefusalAudited(Predicate<String> reason) {
        latest(e -> e.action().equals("participant.refused") && reason.test(e.detail().get("reason").asText()));
    }

    private AuditEntry latest(Predicate<AuditEntry> matching) {
        List<AuditEntry> entries = auditLog.latest(100, null);
        return entries.stream().filter(matching).findFirst().orElseThrow(() -> new AssertionError(
                "no such audit entry among " + entries.stream().map(e -> e.action() + " " + e.subject() + " "
                        + e.detail()).toList()));
    }

    private static ScriptedParticipant.Behaviour claiming(String name) {
        return instruction -> switch (instruction.getMsgCase()) {
            case GET_PROPERTIES_INS -> ClientMessage.newBuilder().setGetPropertiesRes(
                    ClientMessage.GetPropertiesRes.newBuilder().setStatus(ScriptedSite.SUCCESS).putAllProperties(
                            new SiteProperties(name, Map.of(Modality.OMICS, 3)).toProperties())).build();
            default -> throw new IllegalStateException("unexpected " + instruction.getMsgCase());
        };
    }

    private ManagedChannel channel(IssuedCertificate site) throws IOException {
        return new ConsortiumChannels(dir, port).channel(site);
    }

    private IssuedCertificate provisioned(String site) throws IOException {
        return new ConsortiumChannels(dir, port).provisioned(site);
    }

    private CertificateAuthority ca() throws IOException {
        return new ConsortiumDirectory(dir).loadCa();
    }
}
