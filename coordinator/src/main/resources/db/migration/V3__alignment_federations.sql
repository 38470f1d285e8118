-- Alignment federations train the shared-space heads over another federation's frozen encoders.
ALTER TABLE federations DROP CONSTRAINT federations_objective_check;
ALTER TABLE federations ADD CONSTRAINT federations_objective_check
    CHECK (objective IN ('sigreg', 'vicreg', 'ema', 'plain', 'alignment'));
ALTER TABLE federations DROP CONSTRAINT federations_kind_check;
ALTER TABLE federations ADD CONSTRAINT federations_kind_check CHECK (kind IN ('jepa', 'plain', 'alignment'));
