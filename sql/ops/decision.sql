-- The office's decision on a 重点督办 item: $1 ticket, $2 decision, $3 when, $4 by whom.
insert into supervision_decisions (ticket_id, decision, decided_at, decided_by)
values ($1, $2, cast($3 as timestamptz), $4)
