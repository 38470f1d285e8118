package io.callosum.protocol;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/testdata}, the golden files that live beside the repository. */
public final class SharedTestData {
    private SharedTestData() {
    }

    public static Path dir(String name) {
        String configured = System.getProperty("callosum.shared.dir");
        if (configured != null && Files.isDirectory(Path.of(configured, "testdata", name))) {
            return Path.of(configured, "testdata", name).normalize();
        }
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolveSibling("shared").resolve("testdata").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/testdata/" + name + " not found beside the repository"
                + " (set -Dcallosum.shared.dir)");
    }
}
