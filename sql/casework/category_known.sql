-- Whether some enforcement-related appeal has the category $1 (a 会商's topic must be one).
select exists (select 1 from fct_enforcement_appeals where category = $1)
