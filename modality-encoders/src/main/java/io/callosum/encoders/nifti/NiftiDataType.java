package io.callosum.encoders.nifti;

import java.util.Arrays;
import java.util.Optional;

/** NIfTI-1 {@code datatype} codes with their {@code bitpix}. */
public enum NiftiDataType {
    UINT8(2, 8),
    INT16(4, 16),
    INT32(8, 32),
    FLOAT32(16, 32),
    FLOAT64(64, 64),
    INT8(256, 8),
    UINT16(512, 16),
    UINT32(768, 32);

    private final short code;
    private final short bitpix;

    NiftiDataType(int code, int bitpix) {
        this.code = (short) code;
        this.bitpix = (short) bitpix;
    }

    public short code() {
        return code;
    }

    public short bitpix() {
        return bitpix;
    }

    public int bytes() {
        return bitpix / 8;
    }

    static Optional<NiftiDataType> of(short code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }
}
