-- 低置信度待复核: the appeals accepted in [$3, $4) whose extract leaves 是否涉及行政执法 and
-- 执法领域 blank and whose score from the model in use ($1) is below [model] min_confidence
-- ($2), so that the rules decided them: what the model would say, with its confidence, beside
-- what the rules decided. The least confident first.
select
    a.ticket_id,
    a.accepted_at,
    a.region_name,
    a.title,
    a.department,
    if(s.is_enforcement, s.field_name, '非行政执法') as model_guess,
    s.score as model_score,
    coalesce(f.field_name, '非行政执法') as rules_decision,
    f.enforcement_source
from model_scores as s
join appeals as a on a.ticket_id = s.ticket_id
left join fct_enforcement_appeals as f on f.ticket_id = s.ticket_id
where s.model_version = $1
    and s.score < cast($2 as double)
    and a.is_enforcement is null and a.enforcement_field is null
    and a.accepted_at >= cast($3 as date) and a.accepted_at < cast($4 as date)
order by s.score, a.ticket_id
