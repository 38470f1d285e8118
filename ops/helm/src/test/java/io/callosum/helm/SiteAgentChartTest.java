package io.callosum.helm;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.callosum.helm.CallosumChart.SITE_AGENT;
import static io.callosum.helm.Hardening.assertHardened;
import static io.callosum.helm.Refusals.assertNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteAgentChartTest {
    private static final String NAME = RenderedChart.RELEASE + "-callosum-site-agent";
    private static final String CONTAINER = "site-agent";
    private static final String TLS_DIR = "/etc/callosum/tls";
    private static final String LEDGER_DIR = "/var/lib/callosum/privacy";
    private static final List<String> RUN_SITE = List.of("site", "--coordinator", "callosum.consortium.example:443",
            "--site", "st-olav", "--data", "/data", "--max-message-mib", "64", "--privacy-budget", "10",
            "--privacy-delta", "1e-05");

    @Test
    void lintsStrictlyWithASitesRequiredValues(@TempDir Path workDir) throws IOException {
        ChartLint.assertLintsStrictly(SITE_AGENT, "site-agent-minimal.yaml", workDir);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithMinimalValues {
        private RenderedChart chart;
        private PodTemplate pod;

        @BeforeAll
        void render() {
            chart = RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").render();
            pod = chart.podTemplate("Deployment", NAME);
        }

        @Test
        void startsTheSiteCommandAgainstTheCoordinatorsMtlsListener() {
            List<String> tls = List.of("--ca", TLS_DIR + "/ca.crt", "--cert", TLS_DIR + "/tls.crt",
                    "--key", TLS_DIR + "/tls.key");
            List<String> expected = new ArrayList<>(RUN_SITE);
            expected.addAll(tls);
            assertEquals(expected, args(pod));
        }

        @Test
        void mountsTheSitesSecretReadOnlyUnderTheFileNamesItPasses() {
            JsonNode secret = pod.volumeMountedAt(CONTAINER, TLS_DIR).path("secret");
            assertEquals("st-olav-site-tls", secret.path("secretName").asText());
            assertEquals(List.of("ca.crt", "tls.crt", "tls.key"), secret.path("items").findValuesAsText("key"));
            assertEquals(List.of("ca.crt", "tls.crt", "tls.key"), secret.path("items").findValuesAsText("path"));
            assertTrue(pod.mountAt(CONTAINER, TLS_DIR).path("readOnly").asBoolean());
        }

        @Test
        void mountsTheSitesClaimReadOnlyAtTheDataDirectory() {
            assertTrue(pod.mountAt(CONTAINER, "/data").path("readOnly").asBoolean());
            JsonNode claim = pod.volumeMountedAt(CONTAINER, "/data").path("persistentVolumeClaim");
            assertEquals("callosum-site-data", claim.path("claimName").asText());
            assertTrue(claim.path("readOnly").asBoolean());
        }

        @Test
        void requestsNoGpuUnlessAsked() {
            JsonNode resources = pod.container(CONTAINER).path("resources");
            assertFalse(resources.path("limits").has("nvidia.com/gpu"));
            assertFalse(resources.path("requests").has("nvidia.com/gpu"));
            assertTrue(pod.spec().path("nodeSelector").isMissingNode());
        }

        @Test
        void hasTheCoordinatorsSecurityDefaults() {
            assertHardened(pod, CONTAINER);
            assertTrue(pod.volumeMountedAt(CONTAINER, pod.env(CONTAINER, "DJL_CACHE_DIR").path("value").asText())
                    .has("emptyDir"));
        }

        @Test
        void acceptsNoConnectionsAndDialsOnlyTheCoordinatorAndDns() {
            JsonNode policy = chart.get("NetworkPolicy", NAME).path("spec");
            assertEquals(List.of("Ingress", "Egress"), texts(policy.path("policyTypes")));
            assertTrue(policy.path("ingress").isMissingNode());
            assertEquals(443, policy.at("/egress/0/ports/0/port").asInt());
            assertEquals(53, policy.at("/egress/1/ports/0/port").asInt());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithProductionValues {
        private PodTemplate pod;

        @BeforeAll
        void render() {
            pod = RenderedChart.of(SITE_AGENT).values("site-agent-production.yaml").render()
                    .podTemplate("Deployment", NAME);
        }

        @Test
        void requestsTheGpusThroughLimitsBesideTheDefaultResources() {
            JsonNode resources = pod.container(CONTAINER).path("resources");
            assertEquals(2, resources.at("/limits/nvidia.com~1gpu").asInt());
            assertEquals("4Gi", resources.at("/limits/memory").asText());
            assertEquals("2Gi", resources.at("/requests/memory").asText());
        }

        @Test
        void pinsThePodToTheGpuNodeThatHoldsTheData() {
            assertEquals("gpu-node-3", pod.spec().at("/nodeSelector/kubernetes.io~1hostname").asText());
            assertEquals("nvidia.com/gpu", pod.spec().at("/tolerations/0/key").asText());
            JsonNode hostPath = pod.volumeMountedAt(CONTAINER, "/data").path("hostPath");
            assertEquals("/srv/callosum/st-olav", hostPath.path("path").asText());
            assertEquals("Directory", hostPath.path("type").asText());
            assertTrue(pod.mountAt(CONTAINER, "/data").path("readOnly").asBoolean());
        }

        @Test
        void keepsThePrivacyLedgerOnItsClaimAndPassesTheBudget() {
            List<String> args = args(pod);
            assertEquals("4", args.get(args.indexOf("--privacy-budget") + 1));
            assertEquals(LEDGER_DIR, args.get(args.indexOf("--state-dir") + 1));
            assertEquals("st-olav-privacy-ledger",
                    pod.volumeMountedAt(CONTAINER, LEDGER_DIR).at("/persistentVolumeClaim/claimName").asText());
            assertFalse(pod.mountAt(CONTAINER, LEDGER_DIR).path("readOnly").asBoolean(), "the ledger is written");
        }

        @Test
        void mountsTheSecretsOwnKeyNamesUnderFixedFileNames() {
            JsonNode items = pod.volumeMountedAt(CONTAINER, TLS_DIR).at("/secret/items");
            assertEquals(List.of("consortium-ca.pem", "tls.crt", "tls.key"), items.findValuesAsText("key"));
            assertEquals(List.of("ca.crt", "tls.crt", "tls.key"), items.findValuesAsText("path"));
        }
    }

    @Test
    void dialsInPlaintextWithoutASecretForALocalTrial() {
        PodTemplate pod = RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").set("tls.enabled", false)
                .render().podTemplate("Deployment", NAME);
        assertEquals(RUN_SITE, args(pod));
        assertTrue(pod.spec().path("volumes").findValues("secret").isEmpty());
    }

    @Nested
    class RefusesInvalidValues {
        @Test
        void aMissingSiteName() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").set("site.name", "").refusal(),
                    "site.name");
        }

        @Test
        void aMissingCoordinatorAddress() {
            assertNames(RenderedChart.of(SITE_AGENT).set("site.name", "st-olav").set("data.claimName", "data")
                    .set("tls.secretName", "st-olav-site-tls").refusal(), "coordinator.address");
        }

        @Test
        void mtlsWithoutTheSitesSecret() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").set("tls.secretName", "")
                    .refusal(), "tls.secretName");
        }

        @Test
        void aCoordinatorAddressWithoutPort() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml")
                    .set("coordinator.address", "callosum.consortium.example").refusal(), "coordinator.address");
        }

        @Test
        void aDataClaimThatIsNotNamed() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").set("data.claimName", "")
                    .refusal(), "data.claimName");
        }

        @Test
        void aRelativeHostPath() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml")
                    .set("data.source", "hostPath").set("data.hostPath", "srv/data").refusal(), "data.hostPath");
        }

        @Test
        void zeroGpus() {
            assertNames(RenderedChart.of(SITE_AGENT).values("site-agent-minimal.yaml").set("gpu.enabled", true)
                    .set("gpu.count", 0).refusal(), "gpu.count");
        }
    }

    private static List<String> args(PodTemplate pod) {
        return texts(pod.container(CONTAINER).path("args"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
