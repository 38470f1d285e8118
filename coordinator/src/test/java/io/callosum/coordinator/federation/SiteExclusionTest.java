package io.callosum.coordinator.federation;

import io.callosum.coordinator.TestAccess;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.participants.ListenerKind;
import io.callosum.coordinator.participants.Participant;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator excludes a site from the console: it stays connected, no round selects it for fit or evaluation,
 * and re-including it makes it selectable again; both actions are audited under the operator's name.
 */
@QuarkusTest
class SiteExclusionTest extends ScriptedFederationTestBase {
    private static final Set<Modality> ALL = EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);

    @Test
    void anExcludedSiteStaysConnectedButTakesNoPartInRoundsUntilReIncluded() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        TensorSet model = threeModalityModel();
        String kept = "kept-" + suffix;
        String other = "other-" + suffix;
        String excluded = "excluded-" + suffix;
        open.add(new ScriptedParticipant(port, site(kept, ALL, model, 1f, 10)));
        open.add(new ScriptedParticipant(port, site(other, ALL, model, 2f, 10)));
        ScriptedSite excludedSite = site(excluded, ALL, model, 100f, 10);
        ScriptedParticipant excludedStream = new ScriptedParticipant(port, excludedSite);
        open.add(excludedStream);
        awaitConnected(participants, 3);

        String admin = TestAccess.admin();
        String exclusion = "/console/api/sites/" + excluded + "/exclusion";
        given().cookie(TestAccess.SESSION_COOKIE, admin).contentType(ContentType.JSON)
                .body(Map.of("reason", "scanner recalibration")).when().post(exclusion).then().statusCode(200)
                .body("excludedBy", equalTo("admin")).body("reason", equalTo("scanner recalibration"));
        given().cookie(TestAccess.SESSION_COOKIE, admin).contentType(ContentType.JSON)
                .body(Map.of("reason", "again")).when().post(exclusion).then().statusCode(409);
        given().cookie(TestAccess.SESSION_COOKIE, admin).contentType(ContentType.JSON)
                .body(Map.of("reason", " ")).when().post("/console/api/sites/" + kept + "/exclusion").then()
                .statusCode(400).body("error", equalTo("an exclusion needs a reason of 1 to 500 characters"));

        FederationPlan plan = plan("exclusion", FederationKind.JEPA, 2, 2, Duration.ofSeconds(30), 1);
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        Set<String> served = new TreeSet<>();
        for (RoundRecord round : records.rounds(federation.id())) {
            records.results(round.id()).forEach(result -> served.add(result.get("participant").asText()));
        }
        assertEquals(new TreeSet<>(List.of(kept, other)), served, "only the included sites fit and evaluate");
        assertTrue(excludedStream.received().stream().noneMatch(m -> m.hasFitIns() || m.hasEvaluateIns()
                || m.hasGetParametersIns()), "the excluded site got no instruction of a round: "
                + excludedStream.received().stream().map(ServerMessage::getMsgCase).toList());
        given().cookie(TestAccess.SESSION_COOKIE, admin).when().get("/console/api/sites").then().statusCode(200)
                .body("find { it.name == '" + excluded + "' }.exclusion.reason", equalTo("scanner recalibration"))
                .body("find { it.name == '" + kept + "' }.exclusion", equalTo(null));
        AuditEntry audited = auditLog.latest(20, excluded).stream().filter(e -> e.action().equals("site.excluded"))
                .findFirst().orElseThrow();
        assertEquals("admin", audited.actor());
        assertEquals("scanner recalibration", audited.detail().get("reason").asText());

        given().cookie(TestAccess.SESSION_COOKIE, admin).when().delete(exclusion).then().statusCode(200);
        given().cookie(TestAccess.SESSION_COOKIE, admin).when().delete(exclusion).then().statusCode(409);
        assertEquals("site.included", auditLog.latest(1, excluded).get(0).action());
        FederationTestSupport.awaitNoParticipants(participants);
        open.add(new ScriptedParticipant(port, excludedSite));
        awaitConnected(participants, 1);
        assertEquals(List.of(excluded), participants.idle(ListenerKind.SITES).stream().map(Participant::name).toList(),
                "a re-included site is selectable again");
    }
}
