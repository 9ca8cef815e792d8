//! The scheduler: `rexian serve` (the daemon), `rexian run JOB` and `rexian status`.
//!
//! The run ledger in the warehouse is the truth. On start and after every wake-up the daemon
//! works out from it, and from the calendar and the loaded data, which (job, period) pairs are
//! due and not yet done, and runs them one at a time, oldest first. `tokio-cron-scheduler`
//! only wakes the daemon up; a missed wake-up (downtime, a clock jump) is made up by the next
//! evaluation, because what is due never depends on a wake-up having happened.
//!
//! * `clock`: the time the scheduler believes it is (the system's, or a rehearsal's).
//! * `job`: the jobs, their cron expressions and their periods.
//! * `ledger`: the `run_ledger` table: one row per attempt.
//! * `plan`: what is due, waiting, retrying or given up, from the ledger and the facts.
//! * `lock`: one daemon per workspace; one job at a time on the warehouse.
//! * `work`: what each job does.
//! * `due`: one pass: everything due now, one job at a time (`rexian serve --once`).
//! * `daemon`: the wake-ups, a pass per wake-up in a child process, stopping on a signal.

pub mod clock;
pub mod daemon;
pub mod due;
pub mod job;
pub mod ledger;
pub mod lock;
pub mod plan;
pub mod work;

pub use clock::Clock;
pub use job::{parse_cron, Job};
