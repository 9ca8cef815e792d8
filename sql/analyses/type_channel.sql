-- 按诉求类型和来源渠道 of period $1 in region $2 ('' for the city): see mart_type_channel.
select dimension, item, appeals, share
from mart_type_channel
where period_key = $1 and region_scope = $2
order by dimension_order, appeals desc, item
