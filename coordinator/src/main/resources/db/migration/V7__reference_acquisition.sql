-- Version 7: what each reference subject's raw input looked like to the encoder (mean and spread of its patch
-- embeddings before attention), so that inputs from unseen equipment can be flagged: the pooled embedding is
-- trained to see past acquisition and barely moves under it. NULL where the bank was registered from precomputed
-- vectors, whose inputs the coordinator never saw; a bank modality has it for every subject or for none.
ALTER TABLE reference_subjects
    ADD COLUMN token_statistics REAL[] CHECK (token_statistics IS NULL OR cardinality(token_statistics) > 0);
