package io.callosum.benchmarks.round;

import com.google.protobuf.InvalidProtocolBufferException;
import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;

/**
 * Moves a tensor set the way the coordinator and a site agent move one that fits a Flower message: Flower
 * {@code Parameters}, protobuf bytes, parsed back and decoded by its manifest (which travels as a string in the
 * message's config or metrics). Loopback gRPC's framing and socket copies are left out.
 */
final class InlineTransfer {
    /** The site agent's and the coordinator's default gRPC message limit; larger sets would go in chunks instead. */
    static final int MAX_MESSAGE_BYTES = 64 << 20;

    private InlineTransfer() {
    }

    /** The set as the receiving side decodes it, and the size of the protobuf message that carried it. */
    record Carried(TensorSet tensors, long messageBytes) {
    }

    static Carried carry(TensorSet tensors) {
        if (!ParameterReference.travelsInline(tensors, MAX_MESSAGE_BYTES)) {
            throw new IllegalArgumentException(tensors.byteSize() + " bytes of tensors would travel in chunks,"
                    + " not inline; this benchmark times the inline path only");
        }
        byte[] message = FlowerParameters.encode(tensors).toByteArray();
        TensorManifest manifest = TensorManifest.parse(tensors.manifest().encode());
        try {
            return new Carried(FlowerParameters.decode(Parameters.parseFrom(message), manifest), message.length);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message this process just wrote does not parse", e);
        }
    }
}
