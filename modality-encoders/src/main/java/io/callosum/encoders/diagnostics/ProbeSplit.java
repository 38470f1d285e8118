package io.callosum.encoders.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Subjects split into probe-training and held-out indices, stratified by class so both see every diagnosis. */
public record ProbeSplit(int[] train, int[] test) {

    public static ProbeSplit stratified(int[] labels, double testFraction, long seed) {
        Random random = new Random(seed);
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            int held = (int) Math.round(members.size() * testFraction);
            test.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        return new ProbeSplit(train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
    }
}
