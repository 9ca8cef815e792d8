-- No ticket is closed, signed or called back before it was accepted or dispatched.
select ticket_id, accepted_at, dispatched_at, signed_at, closed_at, callback_at
from appeals
where closed_at < accepted_at
   or dispatched_at < accepted_at
   or signed_at < dispatched_at
   or callback_at < closed_at
