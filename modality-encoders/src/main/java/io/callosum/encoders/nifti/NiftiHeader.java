package io.callosum.encoders.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The fields of a NIfTI-1 header that Callosum reads and writes. {@code dims} are {@code dim[1..dim[0]]};
 * {@code pixdim} are the voxel sizes (mm) and, for 4-D data, the repetition time.
 */
public record NiftiHeader(ByteOrder byteOrder, int[] dims, float[] pixdim, NiftiDataType dataType,
                          float voxOffset, float sclSlope, float sclInter, String description) {
    public static final int SIZEOF_HDR = 348;
    /** Header plus the four-byte extension flag: where single-file data starts unless told otherwise. */
    public static final int MIN_VOX_OFFSET = 352;

    public NiftiHeader {
        dims = dims.clone();
        pixdim = pixdim.clone();
        if (dims.length < 1 || dims.length > 7) {
            throw new IllegalArgumentException("a NIfTI-1 image has 1 to 7 dimensions, not " + dims.length);
        }
        if (pixdim.length != dims.length) {
            throw new IllegalArgumentException("pixdim has " + pixdim.length + " entries for " + dims.length + " dims");
        }
        if (description.length() > 79) {
            throw new IllegalArgumentException("descrip holds at most 79 characters");
        }
    }

    /** A little-endian float32 header with data right after the header, as Callosum writes volumes. */
    public static NiftiHeader float32(int[] dims, float[] pixdim, String description) {
        return new NiftiHeader(ByteOrder.LITTLE_ENDIAN, dims, pixdim, NiftiDataType.FLOAT32, MIN_VOX_OFFSET, 1f, 0f,
                description);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public float[] pixdim() {
        return pixdim.clone();
    }

    public long voxelCount() {
        long count = 1;
        for (int dim : dims) {
            count = Math.multiplyExact(count, (long) dim);
        }
        return count;
    }

    /** Whether stored values are scaled on reading: the spec says a slope of 0 means no scaling. */
    public boolean scaled() {
        return sclSlope != 0 && !(sclSlope == 1 && sclInter == 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NiftiHeader h && byteOrder.equals(h.byteOrder) && Arrays.equals(dims, h.dims)
                && Arrays.equals(pixdim, h.pixdim) && dataType == h.dataType && voxOffset == h.voxOffset
                && Float.compare(sclSlope, h.sclSlope) == 0 && Float.compare(sclInter, h.sclInter) == 0
                && description.equals(h.description);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + dataType.hashCode();
    }

    @Override
    public String toString() {
        return "NiftiHeader" + Arrays.toString(dims) + " " + dataType + " pixdim " + Arrays.toString(pixdim);
    }
}
