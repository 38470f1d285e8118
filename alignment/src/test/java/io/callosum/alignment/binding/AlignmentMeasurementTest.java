package io.callosum.alignment.binding;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-size figures for the closing note, not part of the CI run: held-out retrieval among 200 subjects after
 * federated anchor binding of two sites with 1,000 subjects each. Run with
 * {@code mvn -o -q -pl alignment -am test -Dtest=AlignmentMeasurementTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcallosum.alignment.measure=true}.
 */
@EnabledIfSystemProperty(named = "callosum.alignment.measure", matches = "true")
class AlignmentMeasurementTest {
    private static final int PER_SITE = Integer.getInteger("callosum.alignment.perSite", 1000);
    private static final int HELD_OUT = Integer.getInteger("callosum.alignment.heldOut", 200);
    private static final int ROUNDS = Integer.getInteger("callosum.alignment.rounds", 20);
    private static final int STEPS = Integer.getInteger("callosum.alignment.steps", 50);
    private static final double NOISE = Double.parseDouble(System.getProperty("callosum.alignment.noise", "0.3"));

    @ParameterizedTest
    @EnumSource(ContrastiveLoss.class)
    void heldOutRetrievalAmong200(ContrastiveLoss loss) {
        TwoSiteScenario scenario = new TwoSiteScenario(PER_SITE, HELD_OUT, NOISE, 11);
        AlignmentConfig space = AlignmentConfig.defaults(loss);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        BindingConfig config = new BindingConfig(Modality.OMICS, space, STEPS, 2e-3f, 128, 5);
        long start = System.nanoTime();
        List<List<BindingResult>> history = new ArrayList<>();
        TensorSet global = scenario.federate(initial, config, ROUNDS, history);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d sites x %d subjects, %d held out, noise %.2f, %d rounds x %d steps in %.1f s%n",
                loss, 2, PER_SITE, HELD_OUT, NOISE, ROUNDS, STEPS, seconds);
        for (List<BindingResult> round : List.of(history.get(0), history.get(history.size() - 1))) {
            round.forEach(result -> result.pairs().forEach(pair -> System.out.printf(
                    "  %s-%s loss %.3f -> %.3f%n", pair.modality(), pair.anchor(), pair.lossBefore(),
                    pair.lossAfter())));
        }
        for (Modality[] pair : TwoSiteScenario.orderedPairs()) {
            RetrievalReport untrained = scenario.heldOut(initial, space, pair[0], pair[1]);
            RetrievalReport report = scenario.heldOut(global, space, pair[0], pair[1]);
            System.out.println("  " + report + "  [untrained heads R@1 " + untrained.recallAt(1) + ", R@10 "
                    + untrained.recallAt(10) + "]");
            assertTrue(report.recallAt(10) > report.chanceAt(10), report.toString());
        }
    }
}
