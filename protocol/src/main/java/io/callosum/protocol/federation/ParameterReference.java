package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.TensorArchive;

import java.util.Map;
import java.util.Optional;

/**
 * A tensor set too large for one message travels over the {@code TensorTransfer} service; the Flower message
 * then carries no tensors and names the set by content hash in its config (instructions) or metrics (results).
 * A site's initial parameters are named in its {@code get_properties_res} properties, beside their manifest,
 * since {@code get_parameters_res} has no map to carry a reference.
 */
public final class ParameterReference {
    public static final String KEY = "callosum.parameters.sha256";

    private ParameterReference() {
    }

    /** Whether a set fits one message of at most {@code maxMessageBytes} with room left for config and framing. */
    public static boolean travelsInline(TensorSet set, int maxMessageBytes) {
        return TensorArchive.byteSize(set) <= maxMessageBytes / 16 * 15;
    }

    public static void put(Map<String, Scalar> entries, BlobId blob) {
        entries.put(KEY, ScalarMaps.of(blob.sha256()));
    }

    public static Optional<BlobId> in(Map<String, Scalar> entries, String where) {
        return ScalarMaps.optionalString(entries, KEY, where).map(hash -> {
            try {
                return BlobId.of(hash);
            } catch (IllegalArgumentException e) {
                throw new ConfigFormatException(where + ": '" + KEY + "': " + e.getMessage());
            }
        });
    }
}
