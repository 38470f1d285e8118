package io.callosum.encoders.jepa;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;

/**
 * Per-modality JEPA masking over a tokenizer's grid. Imaging ({@code nz, ny, nx}): several 3-D blocks of patches.
 * EEG ({@code channels, timePatches}): a time block across a random set of channels plus one channel over a time
 * span. Omics ({@code groups}): a random set of whole feature groups. Targets are never in the context.
 */
public final class MaskSampler {
    private final int[] grid;
    private final int tokens;

    public MaskSampler(int[] grid) {
        this.grid = grid.clone();
        this.tokens = Arrays.stream(grid).reduce(1, (a, b) -> a * b);
    }

    public TokenMask sample(Random random) {
        BitSet targets = switch (grid.length) {
            case 3 -> volumeBlocks(random);
            case 2 -> montageBlocks(random);
            case 1 -> groupBlocks(random);
            default -> throw new IllegalStateException("no masking for a " + grid.length + "-D grid");
        };
        if (targets.cardinality() == 0) {
            targets.set(random.nextInt(tokens));
        }
        if (targets.cardinality() == tokens) {
            targets.clear(random.nextInt(tokens));
        }
        BitSet context = new BitSet(tokens);
        context.set(0, tokens);
        context.andNot(targets);
        return new TokenMask(context.stream().asLongStream().toArray(), targets.stream().asLongStream().toArray());
    }

    private BitSet volumeBlocks(Random random) {
        BitSet targets = new BitSet(tokens);
        int blocks = 2 + random.nextInt(2);
        for (int b = 0; b < blocks; b++) {
            int[] size = new int[3];
            int[] start = new int[3];
            for (int axis = 0; axis < 3; axis++) {
                size[axis] = 1 + random.nextInt(Math.max(1, grid[axis] / 2));
                start[axis] = random.nextInt(grid[axis] - size[axis] + 1);
            }
            for (int z = start[0]; z < start[0] + size[0]; z++) {
                for (int y = start[1]; y < start[1] + size[1]; y++) {
                    for (int x = start[2]; x < start[2] + size[2]; x++) {
                        targets.set((z * grid[1] + y) * grid[2] + x);
                    }
                }
            }
        }
        return targets;
    }

    private BitSet montageBlocks(Random random) {
        int channels = grid[0];
        int time = grid[1];
        BitSet targets = new BitSet(tokens);
        int span = Math.max(1, time / 4 + random.nextInt(Math.max(1, time / 4)));
        int start = random.nextInt(time - span + 1);
        for (int c = 0; c < channels; c++) {
            if (random.nextDouble() < 0.5) {
                targets.set(c * time + start, c * time + start + span);
            }
        }
        int channel = random.nextInt(channels);
        int channelSpan = Math.max(1, time / 2);
        int channelStart = random.nextInt(time - channelSpan + 1);
        targets.set(channel * time + channelStart, channel * time + channelStart + channelSpan);
        return targets;
    }

    private BitSet groupBlocks(Random random) {
        BitSet targets = new BitSet(tokens);
        int count = Math.max(1, (int) Math.round(tokens * (0.25 + 0.15 * random.nextDouble())));
        while (targets.cardinality() < count) {
            targets.set(random.nextInt(tokens));
        }
        return targets;
    }
}
