package io.callosum.cli;

import picocli.CommandLine;

/** The version stamped into the jar's manifest at build time. */
public class CallosumVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = CallosumVersion.class.getPackage().getImplementationVersion();
        return new String[] {"callosum " + (version == null ? "(development build)" : version)};
    }
}
