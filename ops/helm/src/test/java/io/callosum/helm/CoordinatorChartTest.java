package io.callosum.helm;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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

    @Test
    void lintsStrictlyOnItsDefaults() {
        ChartLint.assertLintsStrictly(COORDINATOR);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithDefaultValues {
        private RenderedChart chart;
        private PodTemplate pod;

        @BeforeAll
        void render() {
            chart = RenderedChart.of(COORDINATOR).render();
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
        void mountsNoTlsSecretUntilTlsIsEnabled() {
            assertFalse(chart.get("ConfigMap", NAME).path("data").has("QUARKUS_GRPC_SERVER_SSL_CERTIFICATE"));
            assertTrue(pod.spec().path("volumes").findValues("secret").isEmpty());
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
        void mountsTheTlsSecretUnderFixedNamesAndPointsTheGrpcServerAtThem() {
            JsonNode secret = pod.volumeMountedAt(CONTAINER, "/etc/callosum/tls").path("secret");
            assertEquals("coordinator-grpc-tls", secret.path("secretName").asText());
            assertEquals(List.of("tls.crt", "tls.key", "consortium-ca.p12"),
                    secret.path("items").findValuesAsText("key"));
            assertTrue(pod.mountAt(CONTAINER, "/etc/callosum/tls").path("readOnly").asBoolean());

            JsonNode config = chart.get("ConfigMap", NAME).path("data");
            assertEquals("/etc/callosum/tls/tls.crt", config.path("QUARKUS_GRPC_SERVER_SSL_CERTIFICATE").asText());
            assertEquals("/etc/callosum/tls/tls.key", config.path("QUARKUS_GRPC_SERVER_SSL_KEY").asText());
            assertEquals("/etc/callosum/tls/truststore", config.path("QUARKUS_GRPC_SERVER_SSL_TRUST_STORE").asText());
            assertEquals("pkcs12", config.path("QUARKUS_GRPC_SERVER_SSL_TRUST_STORE_TYPE").asText());
            assertEquals("REQUIRED", config.path("QUARKUS_GRPC_SERVER_SSL_CLIENT_AUTH").asText());
            assertEquals("coordinator-grpc-tls", pod.env(CONTAINER, "QUARKUS_GRPC_SERVER_SSL_TRUST_STORE_PASSWORD")
                    .at("/valueFrom/secretKeyRef/name").asText());
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
    class RefusesInvalidValues {
        @Test
        void anUnknownDatabaseMode() {
            assertNames(RenderedChart.of(COORDINATOR).set("postgresql.mode", "sqlite").refusal(),
                    "postgresql.mode", "bundled", "external");
        }

        @Test
        void anExternalDatabaseWithoutItsSecret() {
            assertNames(RenderedChart.of(COORDINATOR).set("postgresql.mode", "external").refusal(),
                    "postgresql.external.existingSecret");
        }

        @Test
        void tlsWithoutItsSecret() {
            assertNames(RenderedChart.of(COORDINATOR).set("tls.enabled", true).refusal(), "tls.secretName");
        }

        @Test
        void aPemTrustStoreTheGrpcServerCannotRead() {
            assertNames(RenderedChart.of(COORDINATOR).set("tls.trustStoreType", "PEM").refusal(),
                    "tls.trustStoreType", "pkcs12");
        }

        @Test
        void aMistypedKey() {
            assertNames(RenderedChart.of(COORDINATOR).set("persistance.enabled", false).refusal(),
                    "persistance", "not allowed");
        }

        @Test
        void aPortOutOfRange() {
            assertNames(RenderedChart.of(COORDINATOR).set("service.grpc.port", 70000).refusal(), "service.grpc.port");
        }
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
