-- Whether the figures use the model $1 (the rules version stamped on them names it), how many
-- enforcement-related appeals it decided, and how many blank-extract appeals it scored below
-- [model] min_confidence ($2), left to the rules (低置信度待复核).
select
    coalesce((select value from cfg_param where key = 'model_version'), '') as model_version,
    (select count(*) from fct_enforcement_appeals where enforcement_source = 'model') as decided,
    (
        select count(*)
        from model_scores as s
        join appeals as a on a.ticket_id = s.ticket_id
        where s.model_version = $1 and s.score < cast($2 as double)
            and a.is_enforcement is null and a.enforcement_field is null
    ) as unsure
