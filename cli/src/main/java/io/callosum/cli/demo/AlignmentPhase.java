package io.callosum.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.encoders.synth.SiteProfile;
import io.callosum.protocol.tensor.Modality;

import java.util.List;

/**
 * The demo's alignment phase after pretraining: a few short rounds binding every modality's head to the EEG anchor
 * (every demo site holds EEG and one more modality) over the pretrained encoders, frozen. Securely aggregated when
 * pretraining was (the default; {@code --no-secure-aggregation} turns both off), so the coordinator sees only the
 * sum of the sites' head updates, never one site's. It adds no differential-privacy noise: the ε the report gives is
 * what pretraining spent.
 */
record AlignmentPhase(String federation, Modality anchor, AlignmentConfig space, int rounds, int localSteps,
                      double learningRate, int batchSize) {

    static AlignmentPhase after(String pretraining) {
        AlignmentConfig defaults = AlignmentConfig.defaults(ContrastiveLoss.INFONCE);
        return new AlignmentPhase(pretraining + "-alignment", Modality.EEG, defaults, 3, 10, 1e-3, 32);
    }

    /** The sites that can bind to the anchor: they hold it and another modality. */
    List<String> participants(List<SiteProfile> sites) {
        return sites.stream().filter(s -> s.modalities().contains(anchor) && s.modalities().size() > 1)
                .map(SiteProfile::name).toList();
    }

    /**
     * The alignment federation's plan as the coordinator's API takes it: the pretraining federation's stored plan
     * (same model, strategy, deadline and secure aggregation) with this phase's rounds, training, anchor and space,
     * quorum of every participating site, and no differential privacy.
     */
    JsonNode plan(JsonNode pretrainingPlan, int minSites) {
        ObjectNode plan = pretrainingPlan.deepCopy();
        String pretraining = plan.path("name").asText();
        plan.put("name", federation).put("kind", "ALIGNMENT").put("rounds", rounds).put("minSites", minSites)
                .put("evaluate", true);
        ((ObjectNode) plan.path("training")).put("localSteps", localSteps).put("learningRate", learningRate)
                .put("batchSize", batchSize);
        ((ObjectNode) plan.path("privacy")).put("noiseMultiplier", 0.0);
        ObjectNode alignment = plan.putObject("alignment").put("encodersFrom", pretraining);
        alignment.putObject("space").put("anchor", anchor.name()).put("sharedDim", space.sharedDim())
                .put("hiddenDim", space.hiddenDim()).put("loss", space.loss().name().toLowerCase());
        return plan;
    }
}
