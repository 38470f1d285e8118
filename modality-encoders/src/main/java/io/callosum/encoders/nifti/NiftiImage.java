package io.callosum.encoders.nifti;

/** A NIfTI volume: its header and its voxel values after scaling, x fastest, as float32. */
public record NiftiImage(NiftiHeader header, float[] voxels) {

    public NiftiImage {
        if (voxels.length != header.voxelCount()) {
            throw new IllegalArgumentException(voxels.length + " voxels for dims of " + header.voxelCount());
        }
    }

    public float voxel(int x, int y, int z) {
        int[] dims = header.dims();
        return voxels[x + dims[0] * (y + dims[1] * z)];
    }
}
