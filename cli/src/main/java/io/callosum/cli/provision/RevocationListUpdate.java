package io.callosum.cli.provision;

import io.callosum.protocol.pki.ConsortiumDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code revoke} and {@code renew-crl} share: the directory {@code provision} wrote and the new list's life. */
final class RevocationListUpdate {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the directory `provision` wrote")
    Path out;

    @Option(names = "--crl-days", defaultValue = "30", description = "days until the new list must be renewed "
            + "(default ${DEFAULT-VALUE})")
    int crlDays;

    ConsortiumDirectory directory() {
        return new ConsortiumDirectory(out);
    }

    Duration validity() {
        return Duration.ofDays(crlDays);
    }
}
