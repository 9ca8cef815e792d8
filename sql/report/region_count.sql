-- How many regions the warehouse knows: the pilot effect's permutation test calls every
-- choice of as many of them as there are pilot units "pilot".
select count(*) from dim_region
