-- What the figures record of the learned classifier that decided in them (each '' without
-- one): its version, the months kept out of its training, its scope F1 and the share of rows
-- whose field it got right there, and the confidence it decided at.
select
    coalesce(max(value) filter (where key = 'model_version'), '') as model_version,
    coalesce(max(value) filter (where key = 'model_held_out'), '') as held_out,
    coalesce(max(value) filter (where key = 'model_scope_f1'), '') as scope_f1,
    coalesce(max(value) filter (where key = 'model_field_right'), '') as field_right,
    coalesce(max(value) filter (where key = 'model_min_confidence'), '') as min_confidence
from cfg_param
