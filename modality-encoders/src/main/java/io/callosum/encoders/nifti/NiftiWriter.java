package io.callosum.encoders.nifti;

import io.callosum.encoders.format.CompressedFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes single-file NIfTI-1 ({@code .nii}, or gzip-compressed {@code .nii.gz}) with an sform that maps voxels to
 * millimetres by the voxel sizes, so that viewers place the volume correctly.
 */
public final class NiftiWriter {
    private static final int CHUNK_VOXELS = 1 << 14;

    private NiftiWriter() {
    }

    public static void write(NiftiImage image, Path file) throws IOException {
        try (OutputStream out = CompressedFiles.create(file)) {
            out.write(encodeHeader(image.header()));
            out.write(new byte[(int) image.header().voxOffset() - NiftiHeader.SIZEOF_HDR]);
            writeVoxels(image, out);
        }
    }

    /** The 348 header bytes. */
    static byte[] encodeHeader(NiftiHeader header) {
        ByteBuffer hdr = ByteBuffer.allocate(NiftiHeader.SIZEOF_HDR).order(header.byteOrder());
        hdr.putInt(NiftiLayout.SIZEOF_HDR, NiftiHeader.SIZEOF_HDR);
        int[] dims = header.dims();
        float[] pixdim = header.pixdim();
        hdr.putShort(NiftiLayout.DIM, (short) dims.length);
        hdr.putFloat(NiftiLayout.PIXDIM, 1f);
        for (int i = 1; i < 8; i++) {
            hdr.putShort(NiftiLayout.DIM + 2 * i, (short) (i <= dims.length ? dims[i - 1] : 1));
            hdr.putFloat(NiftiLayout.PIXDIM + 4 * i, i <= dims.length ? pixdim[i - 1] : 0f);
        }
        hdr.putShort(NiftiLayout.DATATYPE, header.dataType().code());
        hdr.putShort(NiftiLayout.BITPIX, header.dataType().bitpix());
        hdr.putFloat(NiftiLayout.VOX_OFFSET, header.voxOffset());
        hdr.putFloat(NiftiLayout.SCL_SLOPE, header.sclSlope());
        hdr.putFloat(NiftiLayout.SCL_INTER, header.sclInter());
        hdr.put(NiftiLayout.XYZT_UNITS, NiftiLayout.UNITS_MM_SEC);
        hdr.put(NiftiLayout.DESCRIP, header.description().getBytes(StandardCharsets.ISO_8859_1));
        hdr.putShort(NiftiLayout.QFORM_CODE, (short) 0);
        hdr.putShort(NiftiLayout.SFORM_CODE, NiftiLayout.XFORM_SCANNER_ANAT);
        int[] rows = {NiftiLayout.SROW_X, NiftiLayout.SROW_Y, NiftiLayout.SROW_Z};
        for (int axis = 0; axis < 3; axis++) {
            hdr.putFloat(rows[axis] + 4 * axis, axis < pixdim.length ? pixdim[axis] : 1f);
        }
        hdr.put(NiftiLayout.MAGIC, "n+1\0".getBytes(StandardCharsets.ISO_8859_1));
        return hdr.array();
    }

    private static void writeVoxels(NiftiImage image, OutputStream out) throws IOException {
        NiftiHeader header = image.header();
        NiftiDataType type = header.dataType();
        float[] voxels = image.voxels();
        boolean scaled = header.scaled();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_VOXELS * type.bytes()).order(header.byteOrder());
        for (int start = 0; start < voxels.length; start += CHUNK_VOXELS) {
            chunk.clear();
            int end = Math.min(voxels.length, start + CHUNK_VOXELS);
            for (int i = start; i < end; i++) {
                float stored = scaled ? (voxels[i] - header.sclInter()) / header.sclSlope() : voxels[i];
                NiftiLayout.encode(type, chunk, stored);
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }
}
