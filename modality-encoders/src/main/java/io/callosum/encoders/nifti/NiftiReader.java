package io.callosum.encoders.nifti;

import io.callosum.encoders.format.CompressedFiles;
import io.callosum.encoders.format.MalformedFileException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads single-file NIfTI-1 volumes ({@code .nii}, {@code .nii.gz}) of either byte order, streaming the voxel data
 * in chunks so that only the decoded float32 volume is held in memory.
 */
public final class NiftiReader {
    private static final int CHUNK = 1 << 16;
    private static final long MAX_EXTENSION_BYTES = 1 << 24;

    private NiftiReader() {
    }

    public static NiftiImage read(Path file) throws IOException {
        try (InputStream in = CompressedFiles.open(file)) {
            NiftiHeader header = readHeader(file, in);
            skipExtensions(file, in, header);
            return new NiftiImage(header, readVoxels(file, in, header));
        }
    }

    public static NiftiHeader readHeader(Path file) throws IOException {
        try (InputStream in = CompressedFiles.open(file)) {
            return readHeader(file, in);
        }
    }

    private static NiftiHeader readHeader(Path file, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(NiftiHeader.SIZEOF_HDR);
        if (bytes.length < NiftiHeader.SIZEOF_HDR) {
            throw new MalformedFileException(file, "header", "truncated: " + bytes.length + " of "
                    + NiftiHeader.SIZEOF_HDR + " bytes");
        }
        ByteBuffer hdr = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (hdr.getInt(0) != NiftiHeader.SIZEOF_HDR) {
            hdr.order(ByteOrder.BIG_ENDIAN);
            if (hdr.getInt(0) != NiftiHeader.SIZEOF_HDR) {
                throw new MalformedFileException(file, "sizeof_hdr", "is " + hdr.order(ByteOrder.LITTLE_ENDIAN).getInt(0)
                        + " in either byte order, expected 348: not a NIfTI-1 file");
            }
        }
        String magic = new String(bytes, NiftiLayout.MAGIC, 4, StandardCharsets.ISO_8859_1);
        if (!magic.equals("n+1\0")) {
            throw new MalformedFileException(file, "magic", "is '" + magic.replace("\0", "\\0")
                    + "', expected 'n+1\\0' (single-file NIfTI-1; 'ni1' header/image pairs are not supported)");
        }
        int rank = hdr.getShort(NiftiLayout.DIM);
        if (rank < 1 || rank > 7) {
            throw new MalformedFileException(file, "dim[0]", "is " + rank + ", expected 1 to 7");
        }
        int[] dims = new int[rank];
        float[] pixdim = new float[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = hdr.getShort(NiftiLayout.DIM + 2 * (i + 1));
            pixdim[i] = hdr.getFloat(NiftiLayout.PIXDIM + 4 * (i + 1));
            if (dims[i] < 1) {
                throw new MalformedFileException(file, "dim[" + (i + 1) + "]", "is " + dims[i] + ", expected >= 1");
            }
        }
        short code = hdr.getShort(NiftiLayout.DATATYPE);
        NiftiDataType dataType = NiftiDataType.of(code).orElseThrow(() -> new MalformedFileException(file,
                "datatype", "code " + code + " is not supported (uint8, int8, int16, uint16, int32, uint32, float32, float64)"));
        short bitpix = hdr.getShort(NiftiLayout.BITPIX);
        if (bitpix != dataType.bitpix()) {
            throw new MalformedFileException(file, "bitpix", "is " + bitpix + " but datatype " + dataType
                    + " has " + dataType.bitpix());
        }
        float voxOffset = hdr.getFloat(NiftiLayout.VOX_OFFSET);
        if (!(voxOffset >= NiftiHeader.MIN_VOX_OFFSET) || voxOffset != Math.rint(voxOffset)) {
            throw new MalformedFileException(file, "vox_offset", "is " + voxOffset
                    + ", expected a whole number >= 352 for a single-file NIfTI-1");
        }
        float slope = hdr.getFloat(NiftiLayout.SCL_SLOPE);
        float inter = hdr.getFloat(NiftiLayout.SCL_INTER);
        if (!Float.isFinite(slope) || !Float.isFinite(inter)) {
            throw new MalformedFileException(file, "scl_slope/scl_inter", "are not finite: " + slope + ", " + inter);
        }
        String description = new String(bytes, NiftiLayout.DESCRIP, 80, StandardCharsets.ISO_8859_1);
        int end = description.indexOf('\0');
        return new NiftiHeader(hdr.order(), dims, pixdim, dataType, voxOffset, slope, inter,
                (end < 0 ? description : description.substring(0, end)).strip());
    }

    /** Extensions (between the header and vox_offset) carry nothing Callosum uses; they are read past. */
    private static void skipExtensions(Path file, InputStream in, NiftiHeader header) throws IOException {
        long extensionBytes = (long) header.voxOffset() - NiftiHeader.SIZEOF_HDR;
        if (extensionBytes > MAX_EXTENSION_BYTES) {
            throw new MalformedFileException(file, "vox_offset", "is " + header.voxOffset()
                    + ": more than 16 MiB of extensions");
        }
        if (in.readNBytes((int) extensionBytes).length < extensionBytes) {
            throw new MalformedFileException(file, "vox_offset", "is " + header.voxOffset()
                    + ", beyond the end of the file");
        }
    }

    private static float[] readVoxels(Path file, InputStream in, NiftiHeader header) throws IOException {
        long count = header.voxelCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new MalformedFileException(file, "dim", count + " voxels exceed one in-memory volume");
        }
        float[] voxels = new float[(int) count];
        NiftiDataType type = header.dataType();
        int perChunk = CHUNK / type.bytes();
        boolean scaled = header.scaled();
        for (int done = 0; done < voxels.length; ) {
            int n = Math.min(perChunk, voxels.length - done);
            byte[] bytes = in.readNBytes(n * type.bytes());
            if (bytes.length < n * type.bytes()) {
                long have = (long) done * type.bytes() + bytes.length;
                throw new MalformedFileException(file, "dim", "data truncated: dims "
                        + Arrays.toString(header.dims()) + " of " + type + " need " + count * type.bytes()
                        + " bytes after vox_offset, the file holds " + have);
            }
            ByteBuffer chunk = ByteBuffer.wrap(bytes).order(header.byteOrder());
            for (int i = 0; i < n; i++) {
                float value = NiftiLayout.decode(type, chunk, i);
                voxels[done + i] = scaled ? value * header.sclSlope() + header.sclInter() : value;
            }
            done += n;
        }
        return voxels;
    }
}
