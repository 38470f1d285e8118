package io.callosum.protocol.pki;

import java.util.List;

/** The outcome of provisioning: the files written and the fingerprints to read out to each site's engineer. */
public record Provisioned(List<WrittenFile> files, String caFingerprint, String coordinatorFingerprint,
                          SiteRegistry registry) {
    public Provisioned {
        files = List.copyOf(files);
    }
}
