-- Before the model $1 scores the appeals of the loads after $2: the scores of other models
-- go, and so do the earlier scores of the tickets it is about to score again.
delete from model_scores
where model_version <> $1
    or ticket_id in (
        select ticket_id from appeals
        where is_enforcement is null and enforcement_field is null and load_id > $2
    );
