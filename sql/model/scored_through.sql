-- The newest load whose appeals the model $1 has scored (0: none yet).
select coalesce(max(load_id), 0) from model_scores where model_version = $1
