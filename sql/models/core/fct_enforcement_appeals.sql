-- One row per enforcement-related appeal with every fact the indicators, grades and analyses
-- are built from. Thresholds are the rules of rexian.toml [indicators] and [grading],
-- substituted by refresh. The title (masked) is kept; the content stays in appeals (join on
-- ticket_id).
--
-- 涉及行政执法 and 执法领域: a value the extract gives always wins. When it leaves them blank
-- they are inferred, in this order:
--   1. the learned classifier (rexian model train), when the workspace has one and its score
--      reaches [model] min_confidence: its class (model_scores, of the model in use);
--   2. the 承办单位 is an enforcement department of the reference data: its field;
--   3. a keyword of a field (data/reference/fields.csv `keywords`) in the category, the title
--      or the content: that field (the first keyword in the text);
--   4. otherwise not enforcement-related (and not in this table).
-- enforcement_source says which decided: given / model / department / keyword; model_score
-- is the classifier's confidence wherever it scored the appeal.
--
-- 重复诉求 and 屡次不改 compare enforcement-related appeals with each other: a caller's earlier
-- question about his pension does not make his complaint about a noisy building site a repeat.

with as_of as (
    -- The moment of the newest extract: deadlines after it have not fallen due yet.
    select coalesce(max(as_of), timestamp '9999-12-31') as data_as_of from load_ledger
),

field_names as (
    select field_code, field_name from dim_field
),

department_fields as (
    select d.department_name, d.field_code
    from dim_department as d
    union
    select trim(unnest(string_split(d.aliases, '|'))) as department_name, d.field_code
    from dim_department as d
    where coalesce(d.aliases, '') <> ''
),

field_keywords as (
    select distinct on (keyword) keyword, field_code
    from (
        select trim(unnest(string_split(keywords, '|'))) as keyword, field_code
        from dim_field
        where coalesce(keywords, '') <> ''
    )
    where keyword <> ''
    order by keyword, field_code
),

inferred as (
    -- One pass over appeals. Only the appeals that neither the extract nor the department
    -- place in a field are searched for keywords.
    select
        a.*,
        dep.field_code as department_field,
        ms.score as model_score,
        ms.score >= cast({{model_min_confidence}} as double) as model_decides,
        ms.is_enforcement as model_enforcement,
        ms.field_name as model_field,
        case
            when a.enforcement_field is null and dep.field_code is null
                and coalesce(a.is_enforcement, true)
                and not coalesce(ms.score >= cast({{model_min_confidence}} as double), false)
            then nullif(regexp_extract(
                coalesce(a.category, '') || ' ' || coalesce(a.title, '') || ' '
                    || coalesce(a.content, ''),
                {{field_keyword_pattern}}
            ), '')
        end as keyword
    from appeals as a
    left join department_fields as dep on dep.department_name = a.department
    left join model_scores as ms
        on ms.ticket_id = a.ticket_id
        and ms.model_version = {{model_version}}
        and a.is_enforcement is null and a.enforcement_field is null
    -- An appeal the extract marks as not enforcement-related is never read further.
    where coalesce(a.is_enforcement, true)
),

scoped as (
    -- Only the columns the facts need: the text stays behind, which keeps this (reused)
    -- intermediate small enough to stay in memory.
    select
        i.ticket_id, i.channel, i.accepted_at, i.appeal_type, i.title, i.phone_hash, i.caller_hash,
        i.region_code, i.region_name, i.street, i.address,
        i.category, i.category_l1, i.category_l2, i.category_l3,
        i.is_dispute, i.department, i.dispatched_at, i.signed_at, i.due_at, i.closed_at,
        i.status, i.extensions, i.returns, i.returned_by, i.resolved,
        i.callback_at, i.satisfaction, i.reopened, i.supervised,
        -- 重大 by text: the first sentence (the title first) holding a major word that it does
        -- not take back: denied (没有人员受伤, 并非暴力执法), quoted as a misunderstanding
        -- (“吃拿卡要”系误会) or meant in another sense (弱势群体), [grading] of rexian.toml.
        -- `kept` is the sentence without those. Only texts with a major word at all are
        -- split, and few are.
        case
            when regexp_matches(
                coalesce(i.title, '') || ' ' || coalesce(i.content, ''), {{major_pattern}}
            )
            then list_filter(
                list_transform(
                    string_split_regex(
                        coalesce(i.title, '') || '。' || coalesce(i.content, ''), '[。！？；!?;\n]'
                    ),
                    lambda s: {
                        'sentence': trim(s, ' 　，,：:'),
                        'kept': regexp_replace(regexp_replace(regexp_replace(
                            s, {{major_retraction_pattern}}, '', 'g'),
                            {{major_denial_pattern}}, '', 'g'),
                            {{major_exception_pattern}}, '', 'g')
                    }
                ),
                lambda x: regexp_matches(x.kept, {{major_pattern}})
            )[1]
        end as major_hit,
        i.is_enforcement as is_enforcement_given,
        i.enforcement_field as enforcement_field_given,
        coalesce(
            i.enforcement_field,
            if(i.model_decides, i.model_field, null),
            f.field_name,
            '未识别领域'
        ) as field_name,
        case
            when i.is_enforcement is not null or i.enforcement_field is not null then 'given'
            when i.model_decides then 'model'
            when i.department_field is not null then 'department'
            else 'keyword'
        end as enforcement_source,
        i.model_score
    from inferred as i
    left join field_keywords as kw on kw.keyword = i.keyword
    left join field_names as f on f.field_code = coalesce(i.department_field, kw.field_code)
    where case
        when i.is_enforcement is not null then i.is_enforcement
        when i.enforcement_field is not null then true
        when i.model_decides then i.model_enforcement
        when i.department_field is not null then true
        else kw.field_code is not null
    end
),

workdays as (
    select * from dim_workday
),

calendar as (
    -- Working-day numbers of the dispatch and closing days, and the derived deadline: the end
    -- of the Nth working day after the dispatch day (a day off carries the number of the
    -- working day before it, so a Saturday dispatch counts from Monday).
    select
        s.*,
        wd.workday_seq as dispatch_seq,
        wc.workday_seq as close_seq,
        cast(due.date as timestamp) + interval 86399 second as due_at_derived
    from scoped as s
    left join workdays as wd on wd.date = cast(s.dispatched_at as date)
    left join workdays as wc on wc.date = cast(s.closed_at as date)
    left join workdays as due
        on due.workday_seq = wd.workday_seq + cast({{default_due_workdays}} as integer)
        and due.is_workday
),

-- Repeats, recurrences and crowds need a caller or a subject seen at least twice: finding
-- those first keeps the windows and the self-join small.
callers_seen_twice as (
    select phone_hash from scoped where phone_hash is not null
    group by all having count(*) >= 2
),

subjects_seen_twice as (
    select address, category from scoped where address is not null and category is not null
    group by all having count(*) >= 2
),

caller_history as (
    -- The previous appeal by the same caller. The caller is known by the keyed hash of the
    -- phone number: names repeat too often (王伟, 张伟…) to tell callers apart.
    select ticket_id,
        lag(accepted_at) over (partition by phone_hash order by accepted_at, ticket_id)
            as prev_by_caller
    from scoped
    semi join callers_seen_twice using (phone_hash)
),

subject_appeals as (
    select s.* from scoped as s semi join subjects_seen_twice using (address, category)
),

subject_history as (
    -- The previous appeal about the same subject (address × category).
    select ticket_id,
        lag(accepted_at) over (partition by address, category order by accepted_at, ticket_id)
            as prev_by_subject
    from subject_appeals
),

recurrence as (
    -- 屡次不改: the subject was appealed before, that appeal was closed, and this one came
    -- within the window after the closing. The latest such closing is named.
    select
        t.ticket_id,
        arg_max(p.ticket_id, p.closed_at) as recurrence_of
    from subject_appeals as t
    inner join subject_appeals as p
        on p.address = t.address
        and p.category = t.category
        and p.ticket_id <> t.ticket_id
        and p.closed_at < t.accepted_at
        and t.accepted_at <= p.closed_at + to_days(cast({{recurrence_window_days}} as integer))
    group by t.ticket_id
),

crowd_subjects as (
    select address, category from subject_appeals
    group by all
    having count(distinct coalesce(phone_hash, caller_hash, ticket_id))
        >= cast({{crowd_callers}} as integer)
),

crowd as (
    -- Different callers about the same subject within the window up to this appeal.
    select
        ticket_id,
        count(distinct coalesce(phone_hash, caller_hash, ticket_id)) over (
            partition by address, category
            order by accepted_at
            range between to_days(cast({{crowd_window_days}} as integer)) preceding and current row
        ) as crowd_callers
    from subject_appeals
    semi join crowd_subjects using (address, category)
),

final as (
    select
        a.ticket_id, a.channel, a.accepted_at, a.appeal_type, a.title,
        a.region_code, a.region_name, a.street, a.address,
        a.category, a.category_l1, a.category_l2, a.category_l3,
        a.is_dispute, a.department, a.dispatched_at, a.signed_at, a.due_at, a.closed_at,
        a.status, a.extensions, a.returns, a.returned_by, a.resolved,
        a.callback_at, a.satisfaction, a.reopened, a.supervised,
        a.is_enforcement_given, a.enforcement_field_given, a.field_name, a.enforcement_source,
        a.model_score,
        coalesce(a.due_at, a.due_at_derived) as due_at_effective,
        a.due_at is null and a.due_at_derived is not null as is_due_derived,
        coalesce(a.due_at, a.due_at_derived) <= (select data_as_of from as_of)
            as is_due_by_as_of,
        case
            when a.dispatched_at is null then null
            when a.signed_at is not null
                then a.signed_at <= a.dispatched_at
                    + to_microseconds(cast(cast({{sign_limit_hours}} as double) * 3600e6 as bigint))
            else false
        end as is_signed_on_time,
        a.close_seq - a.dispatch_seq as handling_workdays,
        a.closed_at <= coalesce(a.due_at, a.due_at_derived) as is_closed_on_time,
        a.closed_at is null
            and coalesce(a.due_at, a.due_at_derived) < (select data_as_of from as_of)
            as is_overdue_open,
        coalesce(len(list_distinct(list_filter(
            list_transform(string_split(a.returned_by, '、'), lambda x: trim(x)), lambda x: x <> ''))), 0)
            as returned_departments,
        coalesce(
            a.accepted_at - hc.prev_by_caller <= to_days(cast({{repeat_window_days}} as integer))
            or a.accepted_at - hs.prev_by_subject <= to_days(cast({{repeat_window_days}} as integer)),
            false
        ) as is_repeat,
        r.recurrence_of is not null as is_recurrence,
        r.recurrence_of,
        nullif(regexp_extract(a.major_hit.kept, {{major_pattern}}), '') as major_keyword,
        a.major_hit.sentence as major_sentence,
        coalesce(c.crowd_callers, 1) as crowd_callers,
        {{rules_version}} as rules_version,
        -- The analyses' marts join it to dim_period_month (see there why).
        cast(date_trunc('month', a.accepted_at) as date) as accepted_month
    from calendar as a
    left join caller_history as hc on hc.ticket_id = a.ticket_id
    left join subject_history as hs on hs.ticket_id = a.ticket_id
    left join recurrence as r on r.ticket_id = a.ticket_id
    left join crowd as c on c.ticket_id = a.ticket_id
)

select * from final
