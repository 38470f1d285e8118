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

import static io.callosum.helm.CallosumChart.COORDINATOR;
import static io.callosum.helm.Hardening.assertHardened;
import static io.callosum.helm.Refusals.assertNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorChartTest {
    private static final String NAME = RenderedChart.RELEASE + "-callosum-coordinator";
    private static final String CONTAINER = "coordinator";
    private static final String TLS_DIR = "/etc/callosum/tls";

    @Test
    void lintsStrictlyWithItsTlsSecret(@TempDir Path workDir) throws IOException {
        ChartLint.assertLintsStrictly(COORDINATOR, "coordinator-minimal.yaml", workDir);
    }

    /** The defaults plus the one value they lack: mTLS is on, so the Secret must be named. */
    private static RenderedChart.Rendering minimal() {
        return RenderedChart.of(COORDINATOR).values("coordinator-minimal.yaml");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithMinimalValues {
        private RenderedChart chart;
        private PodTemplate pod;

        @BeforeAll
        void render() {
            chart = minimal().render();
            pod = chart.podTemplate("Deployment", NAME);
        }

        @Test
        void probesTheHealthEndpointsOnTheHttpPort() {
            JsonNode container = pod.container(CONTAINER);
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
            assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
            assertEquals("http", container.at("/livenessProbe/httpGet/port").asText());
            assertEquals(8080, containerPort(container, "http"));
            assertEquals(9092, containerPort(container, "grpc"));
        }

        @Test
        void exposesGrpcAndHttpAsSeparateServices() {
            JsonNode grpc = chart.get("Service", NAME + "-grpc").at("/spec/ports/0");
            assertEquals(9092, grpc.path("port").asInt());
            assertEquals("grpc", grpc.path("targetPort").asText());
            JsonNode http = chart.get("Service", NAME + "-http").at("/spec/ports/0");
            assertEquals(8080, http.path("port").asInt());
            assertEquals("http", http.path("targetPort").asText());
            assertTrue(chart.all("Ingress").isEmpty());
        }

        @Test
        void pointsQuarkusAtTheChartsPortsAndVolumesThroughTheConfigMap() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("8080", config.path("QUARKUS_HTTP_PORT").asText());
            assertEquals("9092", config.path("QUARKUS_GRPC_SERVER_PORT").asText());
            assertEquals("false", config.path("CALLOSUM_EMBEDDED_POSTGRES_ENABLED").asText());
            assertEquals("false", config.path("CALLOSUM_FEDERATION_AUTOSTART").asText());
            assertEquals(NAME + "-storage", pod.volumeMountedAt(CONTAINER, config.path("CALLOSUM_STORAGE_DIR").asText())
                    .at("/persistentVolumeClaim/claimName").asText());
            assertTrue(pod.volumeMountedAt(CONTAINER, config.path("DJL_CACHE_DIR").asText()).has("emptyDir"));
            assertEquals(NAME, pod.container(CONTAINER).at("/envFrom/0/configMapRef/name").asText());
        }

        @Test
        void writesWholeNumbersAsQuarkusReadsThem() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("536870912", config.path("QUARKUS_GRPC_SERVER_MAX_INBOUND_MESSAGE_SIZE").asText());
            assertEquals("67108864", config.path("CALLOSUM_STORAGE_MAX_MESSAGE_BYTES").asText());
        }

        @Test
        void runsAsNonRootOnAReadOnlyRootFilesystem() {
            assertHardened(pod, CONTAINER);
            assertHardened(chart.podTemplate("StatefulSet", NAME + "-postgresql"), "postgresql");
        }

        @Test
        void bundlesPostgresqlWithItsOwnVolumeAndSharesItsPassword() {
            JsonNode statefulSet = chart.get("StatefulSet", NAME + "-postgresql");
            assertEquals("10Gi",
                    statefulSet.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText());
            assertEquals("jdbc:postgresql://" + NAME + "-postgresql:5432/callosum",
                    pod.env(CONTAINER, "QUARKUS_DATASOURCE_JDBC_URL").path("value").asText());
            JsonNode password = pod.env(CONTAINER, "QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef");
            assertEquals(NAME + "-postgresql", password.path("name").asText());
            // The generated Secret is a pre-install hook, which helm-java's template leaves out.
            assertEquals(password.path("name").asText(), chart.podTemplate("StatefulSet", NAME + "-postgresql")
                    .env("postgresql", "POSTGRES_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
            // The database answers the coordinator and nothing else.
            assertEquals("coordinator", chart.get("NetworkPolicy", NAME + "-postgresql")
                    .at("/spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1component").asText());
        }

        @Test
        void mountsTheSecretWholeAsTheConsortiumDirectory() {
            JsonNode secret = pod.volumeMountedAt(CONTAINER, TLS_DIR).path("secret");
            assertEquals("callosum-coordinator-tls", secret.path("secretName").asText());
            List<String> consortiumFiles = List.of("ca.crt", "coordinator.crt", "coordinator.key", "crl.pem",
                    "sites.tsv");
            assertEquals(consortiumFiles, secret.path("items").findValuesAsText("key"));
            assertEquals(consortiumFiles, secret.path("items").findValuesAsText("path"));
            JsonNode mount = pod.mountAt(CONTAINER, TLS_DIR);
            assertTrue(mount.path("readOnly").asBoolean());
            // A subPath mount would never see an updated crl.pem: revocations would wait for a restart.
            assertFalse(mount.has("subPath"));
        }

        @Test
        void turnsOnTheCoordinatorsMtlsAndLeavesItsGrpcServerSettingsToIt() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("true", config.path("CALLOSUM_TLS_ENABLED").asText());
            assertEquals(TLS_DIR, config.path("CALLOSUM_TLS_DIR").asText());
            assertTrue(names(config).stream().noneMatch(name -> name.startsWith("QUARKUS_GRPC_SERVER_SSL")),
                    () -> "ConfigMap sets " + names(config));
            assertTrue(pod.container(CONTAINER).path("env").findValuesAsText("name").stream()
                    .noneMatch(name -> name.startsWith("QUARKUS_GRPC_SERVER_SSL")));
        }

        @Test
        void aggregatesSecurelyWithThreeSitesPerRound() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("true", config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_ENABLED").asText());
            assertEquals(1.0, Double.parseDouble(config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_CLIP").asText()));
            assertEquals("PT1M", config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_STAGE_TIMEOUT").asText());
            assertEquals("3", config.path("CALLOSUM_FEDERATION_MIN_SITES").asText());
        }

        @Test
        void leavesDifferentialPrivacyOffUnlessAsked() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals(0.0, Double.parseDouble(
                    config.path("CALLOSUM_FEDERATION_DIFFERENTIAL_PRIVACY_NOISE_MULTIPLIER").asText()));
            assertFalse(config.has("CALLOSUM_FEDERATION_DIFFERENTIAL_PRIVACY_CLIP_NORM"));
        }

        @Test
        void letsAnySourceReachTheListenersByDefault() {
            JsonNode ingress = chart.get("NetworkPolicy", NAME).at("/spec/ingress");
            assertTrue(ingress.findValues("from").isEmpty());
            assertEquals(List.of("http", "grpc"), ingress.findValuesAsText("port"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithProductionValues {
        private RenderedChart chart;
        private PodTemplate pod;

        @BeforeAll
        void render() {
            chart = RenderedChart.of(COORDINATOR).values("coordinator-production.yaml").render();
            pod = chart.podTemplate("Deployment", NAME);
        }

        @Test
        void readsTheExternalDatabaseFromItsSecretAndBundlesNone() {
            for (String variable : new String[] {"JDBC_URL", "USERNAME", "PASSWORD"}) {
                assertEquals("coordinator-database", pod.env(CONTAINER, "QUARKUS_DATASOURCE_" + variable)
                        .at("/valueFrom/secretKeyRef/name").asText());
            }
            assertEquals("jdbc-url",
                    pod.env(CONTAINER, "QUARKUS_DATASOURCE_JDBC_URL").at("/valueFrom/secretKeyRef/key").asText());
            assertTrue(chart.all("StatefulSet").isEmpty());
            assertTrue(chart.all("Secret").isEmpty());
            assertFalse(chart.has("NetworkPolicy", NAME + "-postgresql"));
        }

        @Test
        void mountsTheSecretsOwnKeyNamesUnderTheConsortiumDirectorysFileNames() {
            JsonNode items = pod.volumeMountedAt(CONTAINER, TLS_DIR).at("/secret/items");
            assertEquals(List.of("consortium-ca.crt", "coordinator.crt", "coordinator.key", "crl.pem", "sites.tsv"),
                    items.findValuesAsText("key"));
            assertEquals(List.of("ca.crt", "coordinator.crt", "coordinator.key", "crl.pem", "sites.tsv"),
                    items.findValuesAsText("path"));
        }

        @Test
        void passesTheSecureAggregationSettings() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals(0.5, Double.parseDouble(config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_CLIP").asText()));
            assertEquals("PT2M", config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_STAGE_TIMEOUT").asText());
        }

        @Test
        void passesTheDifferentialPrivacySettings() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals(1.5, Double.parseDouble(
                    config.path("CALLOSUM_FEDERATION_DIFFERENTIAL_PRIVACY_NOISE_MULTIPLIER").asText()));
            assertEquals(0.25, Double.parseDouble(config.path("CALLOSUM_FEDERATION_DIFFERENTIAL_PRIVACY_CLIP_NORM")
                    .asText()));
            assertEquals(1e-6, Double.parseDouble(config.path("CALLOSUM_FEDERATION_DIFFERENTIAL_PRIVACY_DELTA")
                    .asText()));
        }

        @Test
        void turnsSettingsIntoEnvironmentVariablesButKeepsTheChartsOwn() {
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("brain-mri-2025", config.path("CALLOSUM_FEDERATION_NAME").asText());
            assertEquals("3", config.path("CALLOSUM_FEDERATION_MIN_SITES").asText());
            assertEquals("true", config.path("CALLOSUM_FEDERATION_AUTOSTART").asText());
            assertEquals("8080", config.path("QUARKUS_HTTP_PORT").asText());
            assertEquals("coordinator-api-tokens", pod.container(CONTAINER).at("/envFrom/1/secretRef/name").asText());
        }

        @Test
        void rollsThePodWhenTheSettingsChange() {
            String checksum = pod.annotations().path("checksum/config").asText();
            String changed = RenderedChart.of(COORDINATOR).values("coordinator-production.yaml")
                    .set("settings.callosum\\.federation\\.rounds", 21).render()
                    .podTemplate("Deployment", NAME).annotations().path("checksum/config").asText();
            assertEquals(64, checksum.length());
            assertNotEquals(changed, checksum);
        }

        @Test
        void exposesGrpcToTheSitesAndHttpThroughTheIngress() {
            JsonNode grpc = chart.get("Service", NAME + "-grpc").path("spec");
            assertEquals("LoadBalancer", grpc.path("type").asText());
            assertEquals(443, grpc.at("/ports/0/port").asInt());
            assertEquals(2, grpc.path("loadBalancerSourceRanges").size());

            JsonNode ingress = chart.get("Ingress", NAME).path("spec");
            assertEquals("callosum.consortium.example", ingress.at("/rules/0/host").asText());
            assertEquals(NAME + "-http", ingress.at("/rules/0/http/paths/0/backend/service/name").asText());
            assertEquals("callosum-http-tls", ingress.at("/tls/0/secretName").asText());
        }

        @Test
        void admitsOnlyTheConfiguredPeers() {
            JsonNode ingress = chart.get("NetworkPolicy", NAME).at("/spec/ingress");
            assertEquals("ingress-nginx",
                    ingress.at("/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
            assertEquals("192.0.2.0/24", ingress.at("/1/from/0/ipBlock/cidr").asText());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithPlaintextForALocalTrial {
        private RenderedChart chart;

        @BeforeAll
        void render() {
            chart = RenderedChart.of(COORDINATOR).set("tls.enabled", false)
                    .set("federation.secureAggregation.enabled", false).render();
        }

        @Test
        void mountsNoSecretAndTurnsMtlsAndSecureAggregationOffExplicitly() {
            assertTrue(chart.podTemplate("Deployment", NAME).spec().path("volumes").findValues("secret").isEmpty());
            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("false", config.path("CALLOSUM_TLS_ENABLED").asText());
            assertFalse(config.has("CALLOSUM_TLS_DIR"));
            assertEquals("false", config.path("CALLOSUM_FEDERATION_SECURE_AGGREGATION_ENABLED").asText());
            assertFalse(config.has("CALLOSUM_FEDERATION_SECURE_AGGREGATION_CLIP"));
        }
    }

    @Nested
    class RefusesInvalidValues {
        @Test
        void anUnknownDatabaseMode() {
            assertNames(minimal().set("postgresql.mode", "sqlite").refusal(), "postgresql.mode", "bundled", "external");
        }

        @Test
        void anExternalDatabaseWithoutItsSecret() {
            assertNames(minimal().set("postgresql.mode", "external").refusal(), "postgresql.external.existingSecret");
        }

        @Test
        void theDefaultsAloneSinceMtlsNeedsItsSecret() {
            assertNames(RenderedChart.of(COORDINATOR).refusal(), "tls.secretName");
        }

        @Test
        void secureAggregationWithoutMtls() {
            assertNames(RenderedChart.of(COORDINATOR).set("tls.enabled", false).refusal(),
                    "federation.secureAggregation.enabled");
        }

        @Test
        void secureAggregationWithTwoSitesPerRound() {
            assertNames(minimal().set("settings.callosum\\.federation\\.min-sites", 2).refusal(),
                    "settings.callosum.federation.min-sites", "3");
        }

        @Test
        void aNonPositiveClippingBound() {
            assertNames(minimal().set("federation.secureAggregation.clip", 0).refusal(),
                    "federation.secureAggregation.clip");
        }

        @Test
        void aStageTimeoutThatIsNoIsoDuration() {
            assertNames(minimal().set("federation.secureAggregation.stageTimeout", "1m").refusal(),
                    "federation.secureAggregation.stageTimeout");
        }

        @Test
        void differentialPrivacyWithoutSecureAggregation() {
            assertNames(minimal().set("federation.secureAggregation.enabled", false)
                    .set("federation.differentialPrivacy.noiseMultiplier", 1.5).refusal(),
                    "federation.secureAggregation.enabled");
        }

        @Test
        void aNegativeNoiseMultiplierOrADeltaOfOne() {
            assertNames(minimal().set("federation.differentialPrivacy.noiseMultiplier", -1).refusal(),
                    "federation.differentialPrivacy.noiseMultiplier");
            assertNames(minimal().set("federation.differentialPrivacy.delta", 1).refusal(),
                    "federation.differentialPrivacy.delta");
        }

        @Test
        void aTlsSettingThatBypassesTheChartsValues() {
            assertNames(minimal().set("settings.callosum\\.tls\\.enabled", false).refusal(),
                    "callosum.tls.enabled");
            assertNames(minimal().set("settings.quarkus\\.grpc\\.server\\.ssl\\.client-auth", "NONE").refusal(),
                    "quarkus.grpc.server.ssl.client-auth");
        }

        @Test
        void theTrustStoreOfEarlierVersions() {
            assertNames(minimal().set("tls.trustStoreKey", "truststore.p12").refusal(), "trustStoreKey", "not allowed");
        }

        @Test
        void aMistypedKey() {
            assertNames(minimal().set("persistance.enabled", false).refusal(), "persistance", "not allowed");
        }

        @Test
        void aPortOutOfRange() {
            assertNames(minimal().set("service.grpc.port", 70000).refusal(), "service.grpc.port");
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port " + name + " in " + container.path("ports"));
    }
}
