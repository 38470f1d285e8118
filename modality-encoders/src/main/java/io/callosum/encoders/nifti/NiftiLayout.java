package io.callosum.encoders.nifti;

import java.nio.ByteBuffer;

/** Byte offsets of the NIfTI-1 header fields (nifti1.h) and the conversion of stored values to float. */
final class NiftiLayout {
    static final int SIZEOF_HDR = 0;
    static final int DIM = 40;
    static final int DATATYPE = 70;
    static final int BITPIX = 72;
    static final int PIXDIM = 76;
    static final int VOX_OFFSET = 108;
    static final int SCL_SLOPE = 112;
    static final int SCL_INTER = 116;
    static final int XYZT_UNITS = 123;
    static final int DESCRIP = 148;
    static final int QFORM_CODE = 252;
    static final int SFORM_CODE = 254;
    static final int SROW_X = 280;
    static final int SROW_Y = 296;
    static final int SROW_Z = 312;
    static final int MAGIC = 344;

    /** xyzt_units: millimetres for space, seconds for time. */
    static final byte UNITS_MM_SEC = 2 | 8;
    /** sform_code NIFTI_XFORM_SCANNER_ANAT: the affine maps voxels to scanner millimetres. */
    static final short XFORM_SCANNER_ANAT = 1;

    private NiftiLayout() {
    }

    static float decode(NiftiDataType type, ByteBuffer data, int index) {
        int at = index * type.bytes();
        return switch (type) {
            case UINT8 -> Byte.toUnsignedInt(data.get(at));
            case INT8 -> data.get(at);
            case INT16 -> data.getShort(at);
            case UINT16 -> Short.toUnsignedInt(data.getShort(at));
            case INT32 -> data.getInt(at);
            case UINT32 -> Integer.toUnsignedLong(data.getInt(at));
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> (float) data.getDouble(at);
        };
    }

    /** Stores {@code value}, rounding and clamping to the integer types' range. */
    static void encode(NiftiDataType type, ByteBuffer data, float value) {
        switch (type) {
            case UINT8 -> data.put((byte) clampRound(value, 0, 255));
            case INT8 -> data.put((byte) clampRound(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case INT16 -> data.putShort((short) clampRound(value, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> data.putShort((short) clampRound(value, 0, 65535));
            case INT32 -> data.putInt((int) clampRound(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> data.putInt((int) clampRound(value, 0, 4294967295L));
            case FLOAT32 -> data.putFloat(value);
            case FLOAT64 -> data.putDouble(value);
        }
    }

    private static long clampRound(float value, long min, long max) {
        return Math.max(min, Math.min(max, Math.round((double) value)));
    }
}
