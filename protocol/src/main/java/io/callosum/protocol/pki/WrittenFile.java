package io.callosum.protocol.pki;

import java.nio.file.Path;

/** One file provisioning wrote, for the operator's table: secret files are the ones never to copy off the machine. */
public record WrittenFile(Path path, String contents, boolean secret) {
}
