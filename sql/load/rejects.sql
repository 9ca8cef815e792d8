-- The rejected rows of one load ($1), in file order, for the rejects CSV beside the file.
select file_name, row_number, column_name, reason, row_values
from load_rejects
where load_id = $1
order by row_number
