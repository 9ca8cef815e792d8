//! The `rexian` command line: parses arguments and calls the library. Nothing else (but the
//! choice of allocator, which belongs to the program, not the library).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rexian::commands::{self, Status};
use rexian::config::Workspace;
use rexian::generate::Format;
use rexian::ingest::EncodingChoice;
use rexian::period::YearMonth;

/// mimalloc instead of glibc's allocator: the reports' typesetting allocates and frees small
/// objects without end (a sixth of a report thread's time was glibc's `malloc` and `free`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// rexian (热线) — turns 12345-hotline extracts into law-enforcement supervision work.
///
/// It loads hotline extracts (.xlsx / .csv, UTF-8 or GBK) into an embedded DuckDB warehouse
/// and a Parquet lake, masking personal data on the way in and accounting for every row.
///
/// Every command works on a workspace: a folder with a rexian.toml (create one with
/// `rexian init DIR`). Exit status: 0 success, 1 failure, 2 bad usage, 3 bad input (a file
/// was refused; the others were still loaded), 4 a data check failed.
#[derive(Debug, Parser)]
#[command(name = "rexian", version, max_term_width = 100)]
struct Cli {
    /// The workspace folder (holds rexian.toml).
    #[arg(
        long,
        short = 'w',
        global = true,
        env = "REXIAN_WORKSPACE",
        default_value = "."
    )]
    workspace: PathBuf,

    /// More log output (-v info, -vv debug). The REXIAN_LOG variable takes a full filter.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

/// What `rexian consult` does.
#[derive(Debug, Subcommand)]
enum ConsultAction {
    /// Record a consultation that was held (prints its number, YYYY-HNNNN).
    Record {
        /// The day it was held (YYYY-MM-DD).
        #[arg(long)]
        date: chrono::NaiveDate,
        /// The departments present, separated by 、 or a comma.
        #[arg(long)]
        departments: String,
        /// A category discussed, or category@region (repeat for each).
        #[arg(long = "topic", required = true)]
        topics: Vec<String>,
        /// The lead department decided (牵头单位), one of those present.
        #[arg(long)]
        lead: String,
        /// The handling norm agreed (处置规范).
        #[arg(long)]
        norm: Option<String>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// The register of consultations.
    List {
        /// Only this year's.
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// What `rexian case` does.
#[derive(Debug, Subcommand)]
enum CaseAction {
    /// The register: every case with its state, responsible staff, deadline and 是否超期.
    List {
        /// Only the cases in this state (待研判, 督办中, 待审核, 审核通过, 已办结, 不予立案).
        #[arg(long)]
        state: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// One case as the register has it, and every event of it.
    Show {
        /// The case (督办事项编号, e.g. 2026-0001).
        case: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// 立案: open a case from one or more graded tickets (prints its number).
    Open {
        /// The 工单编号 (one or more), or none with --dispute or --widespread.
        #[arg(required_unless_present_any = ["dispute", "widespread"])]
        tickets: Vec<String>,
        /// A 会商 matter: the returned tickets of a category in a region in --period
        /// (分类@区县, as `rexian analyse disputes` lists them); the kind defaults to 会商.
        #[arg(long, requires = "period", conflicts_with_all = ["tickets", "widespread"])]
        dispute: Option<String>,
        /// A 普遍性执法问题: the tickets of a category graded so in --period (分类, or
        /// 分类@区县 for one region's); the kind defaults to 专项执法监督.
        #[arg(long, requires = "period", conflicts_with = "tickets")]
        widespread: Option<String>,
        /// The period of --dispute or --widespread (2024-03, 2024Q1…).
        #[arg(long)]
        period: Option<String>,
        /// 个案监督, 会商, 专项执法监督 or 提醒 (default: 个案监督, or as the source says).
        #[arg(long)]
        kind: Option<String>,
        /// A title (default: the first ticket's category).
        #[arg(long)]
        title: Option<String>,
        /// Why it is opened.
        #[arg(long)]
        note: Option<String>,
    },
    /// 交办: give a case its responsible staff member, supervision form and deadline.
    Assign {
        /// The case.
        case: String,
        /// The responsible staff member ([casework] staff).
        #[arg(long)]
        staff: String,
        /// 线上监督, 案例示范指导, 案卷核验 or 随同执法.
        #[arg(long)]
        form: String,
        /// Working days to the deadline (default: [casework] deadline_workdays).
        #[arg(long)]
        workdays: Option<u32>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// 不予立案: close a case without action.
    Reject {
        /// The case.
        case: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Record the department's answer (or 整改报告).
    Answer {
        /// The case.
        case: String,
        /// What the department answered.
        #[arg(long)]
        note: String,
        /// The file it came as (its SHA-256 is kept with the event).
        #[arg(long, value_parser = rexian::commands::case::existing_file)]
        file: Option<PathBuf>,
    },
    /// 审核: approve the answer, or return the case (退回重办) with the reason.
    Review {
        /// The case.
        case: String,
        /// Approve the answer.
        #[arg(
            long,
            conflicts_with = "return_case",
            required_unless_present = "return_case"
        )]
        approve: bool,
        /// Return it to the department (退回重办); --note gives the reason.
        #[arg(long = "return")]
        return_case: bool,
        /// The opinion; the reason of a return.
        #[arg(long)]
        note: Option<String>,
        /// Working days to the new deadline of a return (default: [casework] deadline_workdays).
        #[arg(long)]
        workdays: Option<u32>,
    },
    /// 办结: close an approved case.
    Close {
        /// The case.
        case: String,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// 典型案例: choose a case with a result (审核通过 or 已办结) for the pilot summary, with the
    /// office's account in three parts; or withdraw it.
    Typical {
        /// The case.
        case: String,
        /// 问题: what the citizens reported and what was wrong.
        #[arg(long, required_unless_present = "withdraw")]
        problem: Option<String>,
        /// 督办措施: what the office did.
        #[arg(long, required_unless_present = "withdraw")]
        action: Option<String>,
        /// 处理结果: what came of it.
        #[arg(long, required_unless_present = "withdraw")]
        result: Option<String>,
        /// Withdraw the case from the typical ones (--reason says why).
        #[arg(long, conflicts_with_all = ["problem", "action", "result"], requires = "reason")]
        withdraw: bool,
        /// Why it is withdrawn.
        #[arg(long, requires = "withdraw")]
        reason: Option<String>,
    },
    /// Check every event of the log against its signature: finds any edit, insertion or
    /// deletion made behind rexian's back (exit status 1, naming each), and the register
    /// (one row per case, kept from the log) against the log.
    Verify {
        /// Where the log is whole but the register differs from it, work the register out
        /// again from the log.
        #[arg(long)]
        repair: bool,
    },
    /// 督办工作情况 of a period: cases opened, letters, answers, reviews, closings, what stood
    /// open and overdue at its end, items pushed and feedback received (the reports' section).
    Summary {
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long)]
        period: String,
        /// Only the cases of this region.
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The day's 督办提醒: open cases past or near their deadline ([casework] remind_workdays)
    /// and pushed items without feedback, as a workbook in the reports folder (the scheduler's
    /// casework job writes it every morning).
    Remind {
        /// As of this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        /// The folder to write to (default: the reports folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import the hotline's feedback file (签收, 处理结果, 重新派单) and match it to the pushed
    /// items. Importing the same file again changes nothing; rows matching no push are kept
    /// and listed. Columns: docs/exchange.md.
    ImportFeedback {
        /// The file (.xlsx or .csv, UTF-8 or GBK).
        #[arg(value_parser = rexian::commands::case::existing_file)]
        file: PathBuf,
    },
}

/// What `rexian push` does.
#[derive(Debug, Subcommand)]
enum PushAction {
    /// Send a period's items that are new or changed since their last push (grade as frozen
    /// when first pushed, the office's opinion, case number and state) as an exchange file:
    /// XLSX, CSV and Parquet in the reports folder (docs/exchange.md). Recorded in the ledger.
    Send {
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long)]
        period: String,
        /// Only the items of this county (区县).
        #[arg(long)]
        county: Option<String>,
        /// Folder to write to (default: [paths] reports of rexian.toml).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record the office's opinion (督办意见) on an item; its next push carries it.
    Opinion {
        /// The 工单编号.
        ticket: String,
        /// The opinion, as the office words it.
        #[arg(long)]
        note: String,
    },
    /// Correct an item's grade, with the reason (审核 or 负责人); pushes carry it from now on.
    Regrade {
        /// The 工单编号.
        ticket: String,
        /// 重大, 需协调争议解决, 普遍性执法问题 or 一般.
        #[arg(long)]
        grade: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// The push ledger: every push, its items, and how many the hotline answered.
    Ledger {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// 件件有回音: pushed items without feedback after [casework] feedback_workdays.
    Unanswered {
        /// As of this day (YYYY-MM-DD) instead of today: what will be overdue by then.
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Pushed items a refresh now grades differently from the grade sent (never applied).
    Differences {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The hotline's feedback as imported.
    Feedback {
        /// Only the rows that match no pushed item.
        #[arg(long)]
        unmatched: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// What a letter issued on a case says and where it goes.
#[derive(Debug, clap::Args)]
struct LetterArgs {
    /// The case (督办事项编号, e.g. 2026-0001); it must be 督办中 (assigned).
    case: String,
    /// 主送机关: one of the case's departments (default: its only one).
    #[arg(long)]
    to: Option<String>,
    /// 一、基本情况: the facts the office found, one paragraph per line (default: what the
    /// warehouse says of each of the case's tickets).
    #[arg(long, conflicts_with = "facts_file")]
    facts: Option<String>,
    /// The facts from a file (- for standard input).
    #[arg(long)]
    facts_file: Option<PathBuf>,
    /// 二、监督意见: the office's opinion, one paragraph per line (default: [report]
    /// opinion_text or reminder_text of rexian.toml).
    #[arg(long, conflicts_with = "opinion_file")]
    opinion: Option<String>,
    /// The opinion from a file (- for standard input).
    #[arg(long)]
    opinion_file: Option<PathBuf>,
    /// 成文日期 (YYYY-MM-DD; default: today). The reply deadline counts working days from it.
    #[arg(long)]
    date: Option<chrono::NaiveDate>,
    /// Folder to write to (default: [paths] reports of rexian.toml).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write PDF/A-2b (for archiving); also [report] pdf_a in rexian.toml.
    #[arg(long)]
    pdf_a: bool,
}

/// What `rexian letter` does.
#[derive(Debug, Subcommand)]
enum LetterAction {
    /// Issue a 《行政执法监督意见书》 on a case (prints the PDF's path).
    Opinion(LetterArgs),
    /// Issue a 提醒函 on a case (prints the PDF's path).
    Reminder(LetterArgs),
    /// Void a 文号 issued by mistake (负责人); the number stays used.
    Void {
        /// The 文号, e.g. 济司执监意〔2026〕3号.
        number: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Record the department's written reply to a letter: the case's answer (it goes 待审核).
    Reply {
        /// The 文号.
        number: String,
        /// What the department replied.
        #[arg(long)]
        note: String,
        /// The file it came as (its SHA-256 is kept with the event).
        #[arg(long, value_parser = rexian::commands::case::existing_file)]
        file: Option<PathBuf>,
    },
    /// The letters issued: 文号, case, addressee, date, reply deadline, whether answered,
    /// overdue or voided.
    List {
        /// Only this year's.
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Typeset an unnumbered draft (样稿) about one ticket, recorded nowhere.
    Draft {
        /// opinion or reminder.
        #[arg(value_enum)]
        kind: rexian::report::LetterKind,
        /// The 工单编号.
        ticket: String,
        /// The draft's date (YYYY-MM-DD); default: the newest extract's date.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Folder to write to (default: [paths] reports of rexian.toml).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What `rexian model` does.
#[derive(Debug, Subcommand)]
enum ModelAction {
    /// Train the classifier of scope and field on the warehouse's appeals whose extract gives
    /// 是否涉及行政执法 and 执法领域, keeping the last months out to measure it on; writes
    /// models/scope_field.model and scores the blank-extract appeals with it (the next refresh
    /// uses it).
    Train,
    /// Print precision, recall and F1 on the hand-labelled set, before and now, and the
    /// workspace's model against the rules on the months kept out of its training.
    Evaluate {
        /// Also list every labelled text where masking differs from its labels.
        #[arg(long)]
        differences: bool,
    },
    /// The workspace's model: its version, what it was trained on, its figures, how many
    /// appeals it decided, and whether the warehouse has been loaded since it was trained.
    Status,
    /// 低置信度待复核: the blank-extract appeals of a period that the model was not confident
    /// about (so the rules decided), with the model's class and confidence beside the rules'.
    Review {
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long)]
        period: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a workspace: rexian.toml with every setting commented, the masking key, folders.
    ///
    /// An existing rexian.toml or key is never overwritten.
    Init {
        /// Folder to create the workspace in (default: the --workspace folder).
        dir: Option<PathBuf>,
        /// Print the default rexian.toml instead of creating anything.
        #[arg(long)]
        print: bool,
    },

    /// Generate realistic monthly hotline extracts (for demos, tests and benchmarks).
    ///
    /// One file per month named 12345热线工单_YYYY-MM, with Chinese headers, mixed date formats,
    /// personal data in the free text, tickets carried over while open, and planted patterns
    /// (listed in manifest.json) for the analyses to find. Same seed, same bytes.
    Generate {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// First month (YYYY-MM).
        #[arg(long, default_value = "2022-11")]
        from: YearMonth,
        /// Last month (YYYY-MM), inclusive.
        #[arg(long, default_value = "2024-10")]
        to: YearMonth,
        /// Seed of every random choice.
        #[arg(long, default_value_t = 12345)]
        seed: u64,
        /// New appeals per month (planted patterns come on top).
        #[arg(long, default_value_t = 10_000)]
        per_month: u32,
        /// File format.
        #[arg(long, value_enum, default_value_t = Format::Xlsx)]
        format: Format,
        /// First month of the pilot, from which pilot units handle appeals better.
        #[arg(long, default_value = "2023-11")]
        pilot_start: YearMonth,
    },

    /// Load extracts (files or folders of .csv/.xlsx) into the warehouse and the lake.
    ///
    /// Each file is one transaction and is recorded in the load ledger with its SHA-256: the
    /// same file again changes nothing. Rows that fail a check are rejected with file, row,
    /// column and reason (loads/NNNNNN_SHA/rejects.csv); the newest state of a ticket wins,
    /// and an older extract loaded later never rolls a ticket back.
    Ingest {
        /// Extract files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Text encoding of CSV files: auto, utf-8 or gb18030 (also for GBK).
        #[arg(long)]
        encoding: Option<EncodingChoice>,
        /// The extracts' moment (YYYY-MM-DD [HH:MM:SS]) when their names carry no date.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDateTime>,
        /// Process files again even if the ledger has them.
        #[arg(long)]
        force: bool,
        /// No progress bars.
        #[arg(long, short = 'q')]
        quiet: bool,
    },

    /// Rebuild the SQL models (sql/models/: staging → core → marts) in dependency order, then
    /// run the checks.
    ///
    /// Exit status 4 when a check fails.
    Refresh,

    /// Mask every stored text again under today's rules (appeals, rejected rows, the lake and
    /// the loads' rejects.csv), then refresh.
    ///
    /// For a warehouse loaded by an older release that masked less: third parties' names
    /// (商户老板王建国, 司机陈志强…) and vehicle plates are masked now too. Masking what is
    /// already masked changes nothing, so it is safe to run again.
    Remask,

    /// Copy the workspace into DIR while it runs: the warehouse (checkpointed), rexian.toml,
    /// the lake, the load records and the archive list, with MANIFEST.json of SHA-256 sums.
    ///
    /// Waits for a running job and keeps loads and reports out while it copies. secret.key
    /// is left out unless --include-key. Example: rexian backup /backups/rexian-2024-11-01
    Backup {
        /// A new or empty folder.
        dir: PathBuf,
        /// Put secret.key in the backup too (keep that backup apart and encrypted).
        #[arg(long)]
        include_key: bool,
    },

    /// Restore a backup into the workspace folder (--workspace), checking every file against
    /// its manifest first.
    ///
    /// A folder that already holds files is refused unless --force, which replaces its
    /// warehouse, lake and load records. Example: rexian -w /srv/rexian-new restore
    /// /backups/rexian-2024-11-01
    Restore {
        /// The backup folder (with MANIFEST.json).
        dir: PathBuf,
        /// Replace the warehouse, lake and load records of a folder that has them.
        #[arg(long)]
        force: bool,
    },

    /// Run the data checks (sql/checks/*.sql) and show each failing one with sample rows.
    ///
    /// Exit status 4 when any check fails.
    Check,

    /// Show the load ledger, newest first.
    Ledger {
        /// How many loads to show.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },

    /// Show the indicators (诉求量, 按期办结率, 回访满意率…, 效能指数, 等级, 排名) of a period.
    ///
    /// Rates are shares of their denominators; a zero denominator shows as "—". Units with
    /// fewer valid callbacks than [scoring] min_callbacks are 样本不足 and not ranked.
    /// Example: rexian indicators --period 2024Q1 --by department --region 任城区
    Indicators {
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year (PY2023-24) or `pilot`.
        #[arg(long)]
        period: String,
        /// The units: department, region, field or city.
        #[arg(long, default_value = "department")]
        by: String,
        /// Only the units of this region (by its name, e.g. 任城区).
        #[arg(long)]
        region: Option<String>,
        /// Every indicator in long form with numerator, denominator, 环比 and 同比.
        #[arg(long)]
        detail: bool,
        #[command(flatten)]
        out: OutputArgs,
    },

    /// Grade (分级分类) every enforcement-related appeal of a period: 重大, 需协调争议解决,
    /// 普遍性执法问题 or 一般, with the rule that fired and a suggested action.
    Grade {
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long)]
        period: String,
        /// Only the appeals of this region (the widespread rule still looks at the city).
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },

    /// Run an analysis of a period: hot (热点问题), disputes (会商研判), warnings (预警),
    /// focus (监督重点), supervision (重点督办清单) or pilot-effect (试点成效).
    Analyse {
        /// hot, disputes, warnings, focus, supervision or pilot-effect.
        name: String,
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long, default_value = "pilot")]
        period: String,
        /// Only the appeals of this region (pilot-effect always compares all regions).
        #[arg(long)]
        region: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },

    /// Export a list for the hotline. `push-list`: the graded appeals of a period with their
    /// suggested actions (推送清单), as XLSX and Parquet in the reports folder.
    Export {
        /// What to export: push-list.
        what: String,
        /// A month (2024-03), quarter (2024Q1), year (2024), pilot year or `pilot`.
        #[arg(long)]
        period: String,
        /// Folder to write to (default: [paths] reports of rexian.toml).
        #[arg(long)]
        out: Option<PathBuf>,
    },

    /// Record the office's decision (督办决定) on an item of the key supervision list.
    Decide {
        /// The 工单编号.
        ticket: String,
        /// The decision, as the office words it.
        #[arg(long)]
        decision: String,
        /// Who decided.
        #[arg(long)]
        by: Option<String>,
    },

    /// The 督办台账: supervision cases from a graded appeal to a reviewed reply.
    ///
    /// Every change is recorded in the name of the staff member running rexian (the OS user,
    /// looked up in [casework] staff of rexian.toml) in a signed log kept for good.
    Case {
        #[command(subcommand)]
        action: CaseAction,
    },

    /// 会商: the register of consultations on disputed matters (departments present,
    /// categories × regions, the lead department decided, the 处置规范 agreed); the disputes
    /// analysis marks the categories they settled.
    Consult {
        #[command(subcommand)]
        action: ConsultAction,
    },

    /// The exchange with the hotline (双向推送): push graded items with the office's opinions,
    /// case numbers and states; see what the hotline answered (件件有回音).
    Push {
        #[command(subcommand)]
        action: PushAction,
    },

    /// Ask the data your own questions in SQL: an interactive shell, or -c / -f / --query.
    ///
    /// Read-only: the session cannot change the warehouse (--write is for administrators).
    /// The warehouse is the default catalog; the lake's Parquet partitions are lake.appeals.
    /// While another rexian process writes the warehouse, the shell waits up to --wait seconds,
    /// then reads the lake (the state of the last completed load). In the shell: .help.
    /// Exit status 1 on a SQL error, with DuckDB's message and the position of the error.
    Sql {
        /// Run these statements and leave.
        #[arg(short = 'c', long = "command", conflicts_with_all = ["file", "query"])]
        command: Option<String>,
        /// Run the statements of this file and leave.
        #[arg(short = 'f', long, conflicts_with = "query")]
        file: Option<PathBuf>,
        /// Run a saved query (sql/queries/ and the workspace's queries/ folder).
        #[arg(long)]
        query: Option<String>,
        /// A parameter of the saved query, as name=value (repeatable).
        #[arg(long = "param", value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// List the saved queries.
        #[arg(long)]
        list: bool,
        /// table, csv, json or markdown (default: table). With --output the file's extension
        /// decides, and a --format that says otherwise is refused.
        #[arg(long, value_enum)]
        format: Option<rexian::output::Format>,
        /// Write to this file: .csv, .parquet, .xlsx or .json hold the last query's whole
        /// result (as the shell's .export writes it); .md or .txt every result as shown.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Allow statements that change the warehouse (administrators).
        #[arg(long)]
        write: bool,
        /// Seconds to wait for another rexian process that is writing the warehouse.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },

    /// Typeset a report as PDF into the reports folder: monthly 2024-03, quarterly 2024Q1,
    /// annual 2024 or pilot-summary [pilot]; `all PERIOD` writes every report due for a
    /// period: its months, the quarters that end in it (city-wide and per pilot unit), and for
    /// `pilot` or a year (2024) the year's summary.
    /// Its figures are those of `rexian indicators` and `rexian analyse` for the same period.
    Report {
        /// monthly, quarterly, annual, pilot-summary or all.
        #[arg(value_enum)]
        kind: rexian::report::Kind,
        /// The period: 2024-03, 2024Q1, 2024, or pilot / PY2023-24.
        #[arg(default_value = "pilot")]
        period: String,
        /// One region's report (e.g. a pilot unit, 兖州区) instead of the city's.
        #[arg(long)]
        region: Option<String>,
        /// Folder to write to (default: [paths] reports of rexian.toml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write PDF/A-2b (for archiving); also [report] pdf_a in rexian.toml.
        #[arg(long)]
        pdf_a: bool,
    },

    /// Letters: issue a 《行政执法监督意见书》 or 提醒函 on a case of the 督办台账 (its 文号 drawn
    /// from the year's sequence of its kind), void a number, record the department's reply,
    /// list them; or typeset an unnumbered draft about one ticket.
    Letter {
        #[command(subcommand)]
        action: LetterAction,
    },

    /// How well the text rules do, measured on the hand-labelled appeals of
    /// data/eval/labelled_appeals.csv (precision, recall, F1) against the rules rexian had
    /// before: the names and vehicle plates that masking finds, the 重大 that grading finds,
    /// and the scope and field inferred when an extract leaves them blank.
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },

    /// Write the data dictionary (every table, view and column the analyst sees, with its
    /// Chinese and English description) as Markdown, from the warehouse's own comments.
    Dictionary {
        /// The Markdown file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },

    /// Run the scheduler: load extracts dropped into the inbox, rebuild the figures, and issue
    /// every report and push list on time ([schedule] of rexian.toml), until SIGINT/SIGTERM.
    ///
    /// What is due comes from the run ledger, so reports missed while the daemon was down are
    /// issued once each, oldest first, when it starts. One daemon per workspace. Logs go to
    /// standard error and to [schedule] log_dir.
    Serve {
        /// Run what is due now, then exit (for a system timer instead of a daemon).
        #[arg(long)]
        once: bool,
        /// A pass started by the daemon (internal).
        #[arg(long, hide = true, requires = "once")]
        child: bool,
    },

    /// Run one scheduled job now, through the run ledger: inbox, refresh, monthly, quarterly,
    /// pilot-summary or push-list. Waits while another job runs (e.g. the daemon's).
    Run {
        /// The job.
        job: String,
        /// The period (2024-03, 2024Q1, pilot); default: the newest that has ended.
        #[arg(long)]
        period: Option<String>,
        /// Do it again even though the ledger has it done.
        #[arg(long)]
        force: bool,
    },

    /// Show the scheduler: the daemon, each job's last run and next wake-up, what is due and
    /// not done (with failures and their errors), and the recent runs.
    Status {
        /// How many recent runs to list.
        #[arg(long, default_value_t = 10)]
        recent: usize,
    },

    /// Run the whole flow on the embedded defaults in a new workspace (the demo).
    Demo {
        /// Folder of the demo workspace.
        #[arg(long, default_value = "rexian-demo")]
        dir: PathBuf,
        /// New appeals per month.
        #[arg(long, default_value_t = 3_000)]
        per_month: u32,
        /// Seed of the generated data.
        #[arg(long, default_value_t = 12345)]
        seed: u64,
    },
}

/// Output options shared by the commands that print tables.
#[derive(Debug, clap::Args)]
struct OutputArgs {
    /// table, csv, json or xlsx.
    #[arg(long, value_enum, default_value_t = rexian::output::Format::Table)]
    format: rexian::output::Format,
    /// Write to this file instead of the terminal (needed for xlsx).
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Encoding of CSV: utf8-bom (Excel) or gb18030 (older Excel, WPS).
    #[arg(long, value_enum, default_value_t = rexian::output::CsvEncoding::Utf8Bom)]
    csv_encoding: rexian::output::CsvEncoding,
}

impl OutputArgs {
    fn into_output(self) -> commands::analyse::Output {
        commands::analyse::Output {
            format: self.format,
            csv: self.csv_encoding,
            path: self.output,
        }
    }
}

fn push(ws: &Workspace, action: PushAction) -> anyhow::Result<()> {
    use commands::push::{self, Listing};
    let (what, out) = match action {
        PushAction::Send {
            period,
            county,
            out,
        } => return push::send(ws, &period, county.as_deref(), out.as_deref()),
        PushAction::Opinion { ticket, note } => return push::opinion(ws, &ticket, &note),
        PushAction::Regrade {
            ticket,
            grade,
            reason,
        } => return push::regrade(ws, &ticket, &grade, &reason),
        PushAction::Ledger { out } => (Listing::Ledger, out),
        PushAction::Unanswered { as_of, out } => (Listing::Unanswered { as_of }, out),
        PushAction::Differences { out } => (Listing::Differences, out),
        PushAction::Feedback { unmatched, out } => (Listing::Feedback { unmatched }, out),
    };
    push::list(ws, what, &out.into_output())
}

fn case(ws: &Workspace, action: CaseAction) -> anyhow::Result<()> {
    use commands::case::{self, Change};
    let (case_no, what) = match action {
        CaseAction::List { state, out } => {
            return case::list(ws, state.as_deref(), &out.into_output())
        }
        CaseAction::Show { case: c, out } => return case::show(ws, &c, &out.into_output()),
        CaseAction::Verify { repair } => return case::verify(ws, repair, false),
        CaseAction::Summary {
            period,
            region,
            out,
        } => return case::summary(ws, &period, region.as_deref(), &out.into_output()),
        CaseAction::Remind { as_of, out } => {
            return case::remind(ws, as_of, out.as_deref()).map(drop)
        }
        CaseAction::ImportFeedback { file } => return commands::push::import_feedback(ws, &file),
        CaseAction::Open {
            tickets,
            dispute,
            widespread,
            period,
            kind,
            title,
            note,
        } => (
            None,
            Change::Open {
                kind,
                tickets,
                source: match (dispute, widespread, period) {
                    (Some(d), _, Some(p)) => Some(rexian::casework::Source::Dispute {
                        topic: d,
                        period: p,
                    }),
                    (_, Some(c), Some(p)) => Some(rexian::casework::Source::Widespread {
                        category: c,
                        period: p,
                    }),
                    _ => None,
                },
                title,
                note,
            },
        ),
        CaseAction::Assign {
            case: c,
            staff,
            form,
            workdays,
            note,
        } => (
            Some(c),
            Change::Assign {
                staff,
                form,
                workdays,
                note,
            },
        ),
        CaseAction::Reject { case: c, reason } => (Some(c), Change::Reject { reason }),
        CaseAction::Answer {
            case: c,
            note,
            file,
        } => (Some(c), Change::Answer { note, file }),
        CaseAction::Review {
            case: c,
            approve,
            return_case: _,
            note,
            workdays,
        } => (
            Some(c),
            Change::Review {
                approve,
                note,
                workdays,
            },
        ),
        CaseAction::Close { case: c, note } => (Some(c), Change::Close { note }),
        CaseAction::Typical {
            case: c,
            problem,
            action,
            result,
            withdraw: _,
            reason,
        } => (
            Some(c),
            match reason {
                Some(reason) => Change::Withdraw { reason },
                None => Change::Typical(rexian::casework::typical::Account {
                    problem: problem.unwrap_or_default(),
                    action: action.unwrap_or_default(),
                    result: result.unwrap_or_default(),
                }),
            },
        ),
    };
    case::change(ws, case_no.as_deref(), what)
}

fn letter(ws: &mut Workspace, action: LetterAction) -> anyhow::Result<()> {
    use commands::letter;
    let reports = ws.path(&ws.config.paths.reports);
    let (kind, args) = match action {
        LetterAction::Opinion(a) => (rexian::report::LetterKind::Opinion, a),
        LetterAction::Reminder(a) => (rexian::report::LetterKind::Reminder, a),
        LetterAction::Void { number, reason } => return letter::void(ws, &number, &reason),
        LetterAction::Reply { number, note, file } => {
            return letter::reply(ws, &number, &note, file.as_deref())
        }
        LetterAction::List { year, out } => return letter::list(ws, year, &out.into_output()),
        LetterAction::Draft {
            kind,
            ticket,
            date,
            out,
        } => return letter::draft(ws, kind, &ticket, date, &out.unwrap_or(reports)),
    };
    ws.config.report.pdf_a |= args.pdf_a;
    let wording = rexian::casework::letters::Wording {
        to: args.to,
        facts: letter::paragraphs(args.facts, args.facts_file, "--facts")?,
        opinion: letter::paragraphs(args.opinion, args.opinion_file, "--opinion")?,
        date: args.date,
    };
    letter::issue(ws, kind, &args.case, &wording, &args.out.unwrap_or(reports))
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!(
            "{s:?}: write a parameter as name=value, e.g. period=2024-03"
        )),
    }
}

fn parse_as_of(s: &str) -> Result<chrono::NaiveDateTime, String> {
    let cell = rexian::ingest::Cell::Text(s.to_string());
    match rexian::ingest::parse_timestamp(&cell) {
        Ok(Some(t)) if s.trim().len() <= 10 => Ok(t.date().and_hms_opt(23, 59, 59).unwrap_or(t)),
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err("empty".into()),
        Err(e) => Err(e),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Sql { .. }) {
        // Like other Unix tools: when the reader of our output goes away (`| head`), stop
        // quietly instead of failing on the next write. The SQL shell keeps Rust's default,
        // as it writes to a pager it may outlive.
        #[cfg(unix)]
        // SAFETY: resetting a signal's disposition to its default before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let _log = match init_logging(&cli) {
        Ok(guard) => guard,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let workspace = cli.workspace.clone();
    match run(cli) {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::BadInput) => ExitCode::from(rexian::EXIT_BAD_INPUT),
        Ok(Status::ChecksFailed) => ExitCode::from(rexian::EXIT_CHECKS_FAILED),
        Err(err) => {
            if let Some(e) = err.downcast_ref::<std::io::Error>() {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("error: {err:#}");
            if let Some(hint) = disk_full_hint(&workspace, &err) {
                eprintln!("{hint}");
            }
            ExitCode::FAILURE
        }
    }
}

/// When the error is a full disk: which of the workspace's folders have no room left.
fn disk_full_hint(workspace: &std::path::Path, err: &anyhow::Error) -> Option<String> {
    let folders = match Workspace::open(workspace) {
        Ok(ws) => ws.written_folders(),
        Err(_) => vec![("workspace", workspace.to_path_buf())],
    };
    rexian::fsutil::disk_full_hint(err, &folders)
}

/// Calls the library for the subcommand. Long (one arm per subcommand), and kept so: each arm
/// only turns parsed arguments into one call, and the whole command line reads in one place.
fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Init { print: true, .. } => print!("{}", rexian::config::DEFAULT_TOML),
        Command::Init { dir, print: false } => {
            commands::init::run(dir.as_deref().unwrap_or(&cli.workspace))?;
        }
        Command::Generate {
            out,
            from,
            to,
            seed,
            per_month,
            format,
            pilot_start,
        } => {
            let reference = match Workspace::open(&cli.workspace) {
                Ok(ws) => rexian::reference::Reference::load(ws.reference_dir().as_deref())?,
                Err(_) => rexian::reference::Reference::built_in()?,
            };
            let opts = rexian::generate::Options {
                out,
                from,
                to,
                seed,
                per_month,
                format,
                pilot_start,
            };
            commands::generate::run(&opts, &reference)?;
        }
        Command::Ingest {
            paths,
            encoding,
            as_of,
            force,
            quiet,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            let encoding = match encoding {
                Some(e) => e,
                None => ws
                    .config
                    .ingest
                    .encoding
                    .parse()
                    .map_err(anyhow::Error::msg)?,
            };
            let opts = rexian::ingest::Options {
                encoding,
                as_of,
                force,
                progress: !quiet,
            };
            return Ok(commands::ingest::run(&ws, &paths, opts)?.0);
        }
        Command::Refresh => {
            let ws = Workspace::open(&cli.workspace)?;
            return commands::refresh::run(&ws);
        }
        Command::Backup { dir, include_key } => {
            let ws = Workspace::open(&cli.workspace)?;
            return commands::backup::backup(&ws, &dir, include_key);
        }
        Command::Restore { dir, force } => {
            return commands::backup::restore(&dir, &cli.workspace, force);
        }
        Command::Remask => {
            let ws = Workspace::open(&cli.workspace)?;
            return commands::remask::run(&ws);
        }
        Command::Check => {
            let ws = Workspace::open(&cli.workspace)?;
            return commands::check::run(&ws);
        }
        Command::Ledger { limit } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::ledger::run(&ws, limit)?;
        }
        Command::Indicators {
            period,
            by,
            region,
            detail,
            out,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::analyse::indicators(
                &ws,
                &period,
                &by,
                region.as_deref(),
                detail,
                &out.into_output(),
            )?;
        }
        Command::Grade {
            period,
            region,
            out,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::analyse::grade(&ws, &period, region.as_deref(), &out.into_output())?;
        }
        Command::Analyse {
            name,
            period,
            region,
            out,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::analyse::analyse(&ws, &name, &period, region.as_deref(), &out.into_output())?;
        }
        Command::Export { what, period, out } => {
            let ws = Workspace::open(&cli.workspace)?;
            if what != "push-list" {
                anyhow::bail!("nothing called {what:?} to export; use push-list");
            }
            commands::analyse::push_list(&ws, &period, out.as_deref())?;
        }
        Command::Decide {
            ticket,
            decision,
            by,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::analyse::decide(&ws, &ticket, &decision, by.as_deref())?;
        }
        Command::Case { action } => {
            let ws = Workspace::open(&cli.workspace)?;
            case(&ws, action)?;
        }
        Command::Consult { action } => {
            let ws = Workspace::open(&cli.workspace)?;
            match action {
                ConsultAction::Record {
                    date,
                    departments,
                    topics,
                    lead,
                    norm,
                    note,
                } => commands::consult::record(
                    &ws,
                    date,
                    &departments,
                    &topics,
                    &lead,
                    norm.as_deref(),
                    note.as_deref(),
                )?,
                ConsultAction::List { year, out } => {
                    commands::consult::list(&ws, year, &out.into_output())?
                }
            }
        }
        Command::Push { action } => {
            let ws = Workspace::open(&cli.workspace)?;
            push(&ws, action)?;
        }
        Command::Sql {
            command,
            file,
            query,
            params,
            list,
            format,
            output,
            write,
            wait,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::sql::run(
                &ws,
                &commands::sql::Request {
                    command,
                    file,
                    saved: query,
                    params,
                    list,
                    format,
                    output,
                    write,
                    wait,
                },
            )?;
        }
        Command::Report {
            kind,
            period,
            region,
            out,
            pdf_a,
        } => {
            let mut ws = Workspace::open(&cli.workspace)?;
            ws.config.report.pdf_a |= pdf_a;
            let dir = out.unwrap_or_else(|| ws.path(&ws.config.paths.reports));
            commands::report::run(&ws, kind, &period, &region.unwrap_or_default(), &dir)?;
        }
        Command::Letter { action } => {
            let mut ws = Workspace::open(&cli.workspace)?;
            letter(&mut ws, action)?;
        }
        Command::Model {
            action: ModelAction::Train,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::model::train(&ws)?;
        }
        Command::Model {
            action: ModelAction::Status,
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::model::status(&ws)?;
        }
        Command::Model {
            action: ModelAction::Review { period, out },
        } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::model::review(&ws, &period, &out.into_output())?;
        }
        Command::Model {
            action: ModelAction::Evaluate { differences },
        } => {
            // The workspace's rules when there is one, else the built-in ones.
            let rules = match Workspace::open(&cli.workspace) {
                Ok(ws) => commands::model::Rules {
                    whose: format!("rules of {}", ws.root.join("rexian.toml").display()),
                    reference: ws.reference_dir(),
                    config: ws.config.clone(),
                    ws: Some(ws),
                },
                Err(_) => commands::model::Rules {
                    config: rexian::config::Config::default(),
                    reference: None,
                    whose: "built-in rules".to_string(),
                    ws: None,
                },
            };
            commands::model::evaluate(&rules, differences)?;
        }
        Command::Dictionary { out } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::dictionary::run(&ws, out.as_deref())?;
        }
        Command::Serve { once, child } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::serve::run(&ws, once, child)?;
        }
        Command::Run { job, period, force } => {
            let ws = Workspace::open(&cli.workspace)?;
            return commands::run::run(&ws, &job, period.as_deref(), force);
        }
        Command::Status { recent } => {
            let ws = Workspace::open(&cli.workspace)?;
            commands::status::run(&ws, recent)?;
        }
        Command::Demo {
            dir,
            per_month,
            seed,
        } => return commands::demo::run(&dir, per_month, seed),
    }
    Ok(Status::Success)
}

/// Standard error for every command; the daemon (and `rexian run`) also log to the
/// workspace's log folder, at info level unless told otherwise.
fn init_logging(cli: &Cli) -> anyhow::Result<Option<rexian::logging::Guard>> {
    let scheduled = matches!(cli.command, Command::Serve { .. } | Command::Run { .. });
    let default = match (cli.verbose, scheduled) {
        (0, false) => "warn",
        (0, true) | (1, _) => "info",
        _ => "debug",
    };
    if scheduled {
        if let Ok(ws) = Workspace::open(&cli.workspace) {
            let dir = ws.path(&ws.config.schedule.log_dir);
            return rexian::logging::init(default, Some((&dir, ws.config.schedule.keep_log_days)));
        }
    }
    rexian::logging::init(default, None)
}
