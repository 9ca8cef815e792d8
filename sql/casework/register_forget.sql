-- Takes the register's row of one case away ($1; '' for every case) before it is worked out
-- again from the log (casework::register).
delete from case_register where $1 = '' or case_no = $1
