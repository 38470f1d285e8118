package io.callosum.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security defaults both charts share: what a hospital's cluster admission policies expect. */
final class Hardening {
    private Hardening() {
    }

    static void assertHardened(PodTemplate pod, String container) {
        var podSecurity = pod.spec().path("securityContext");
        assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertTrue(podSecurity.path("runAsUser").asInt() > 0, "runs as a non-zero uid");
        assertEquals("RuntimeDefault", podSecurity.at("/seccompProfile/type").asText());

        var containerSecurity = pod.container(container).path("securityContext");
        assertTrue(containerSecurity.path("readOnlyRootFilesystem").asBoolean(), "read-only root filesystem");
        assertFalse(containerSecurity.path("allowPrivilegeEscalation").asBoolean(true), "no privilege escalation");
        assertEquals("ALL", containerSecurity.at("/capabilities/drop/0").asText());

        assertFalse(pod.spec().path("automountServiceAccountToken").asBoolean(true), "no Kubernetes API token");
        // A read-only root leaves the JVM nowhere to write unless /tmp is a volume.
        assertTrue(pod.volumeMountedAt(container, "/tmp").has("emptyDir"), "/tmp is writable");
    }
}
