package io.callosum.helm;

import java.nio.file.Path;

/** The charts under test, found relative to this module's directory (Surefire's working directory). */
enum CallosumChart {
    COORDINATOR("callosum-coordinator"),
    SITE_AGENT("callosum-site-agent");

    private final String directory;

    CallosumChart(String directory) {
        this.directory = directory;
    }

    Path directory() {
        return Path.of(directory).toAbsolutePath();
    }

    /** Values files of the tests' scenarios, kept beside the tests rather than in the charts. */
    static Path testValues(String fileName) {
        return Path.of("src", "test", "resources", fileName).toAbsolutePath();
    }
}
