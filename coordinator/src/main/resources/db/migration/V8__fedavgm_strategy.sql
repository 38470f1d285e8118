-- Version 8: FedAvgM (FedAvg with a server learning rate and momentum; its momentum buffer is stored with each
-- version like FedAdam's first moment).
ALTER TABLE federations DROP CONSTRAINT federations_strategy_check;
ALTER TABLE federations ADD CONSTRAINT federations_strategy_check
    CHECK (strategy IN ('fedavg', 'fedprox', 'fedavgm', 'fedadam', 'fedyogi'));
