//! Whole-run benchmark on a generated city: `cargo bench --bench payout`.
//!
//! Generates (once, cached) a city of `DISBURSE_BENCH_PERSONS` insured persons (default
//! 1,000,000: 5 contribution rows each, so 5M rows, plus 5 % flexible workers and the
//! registers, and persons / 10 guaranteed loans of 36 instalments), then runs the real
//! `disburse run` binary `DISBURSE_BENCH_RUNS` times (default 3) on the city without its loan
//! book (a twin folder whose loan file is empty: issue 2's city), each time with a fresh,
//! empty ledger, and reports wall time, peak resident memory (the children's max RSS from
//! `getrusage`) and throughput. Figures go to `docs/PERFORMANCE.md`.
//! `DISBURSE_BENCH_COMPARE_LOANS=1` times the city with and without its loans instead.
//!
//! Environment: `DISBURSE_BENCH_DIR` (default `<target>/bench-city-<persons>`),
//! `DISBURSE_BENCH_PERSONS`, `DISBURSE_BENCH_RUNS`, `DISBURSE_BENCH_PIPELINE` (default suzhou),
//! `DISBURSE_BENCH_HISTORY` (default 0): when N > 0, also build (once, cached) a ledger holding
//! the real runs of the N payout months before 2018-09 — each month's city generated with the
//! same seed, run into the ledger, and deleted — and time the 2018-09 run against it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PAYOUT: &str = "2018-09";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Bytes of the input CSV files.
fn csv_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
                .filter_map(|e| std::fs::metadata(e.path()).ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn count_rows(path: &Path) -> u64 {
    std::fs::read(path)
        .map(|b| (b.iter().filter(|&&c| c == b'\n').count() as u64).saturating_sub(1))
        .unwrap_or(0)
}

fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    }
}

fn generate(exe: &Path, persons: u32, month: &str, out: &Path, loans: bool) {
    let mut cmd = Command::new(exe);
    cmd.args([
        "gen-fixtures",
        "--persons",
        &persons.to_string(),
        "--seed",
        "42",
    ]);
    if !loans {
        cmd.args(["--loans", "0"]);
    }
    let ok = cmd
        .args(["--bad-share", "0.001", "--month", month, "--out"])
        .arg(out)
        .status()
        .expect("start disburse gen-fixtures")
        .success();
    assert!(ok, "gen-fixtures {month} failed");
}

/// The city's size, for throughput figures.
struct City {
    bytes: u64,
    rows: u64,
    contributions: u64,
}

fn main() {
    let persons: u32 = env_or("DISBURSE_BENCH_PERSONS", 1_000_000);
    let runs: u32 = env_or("DISBURSE_BENCH_RUNS", 3);
    let history: u32 = env_or("DISBURSE_BENCH_HISTORY", 0);
    let pipeline: String = env_or("DISBURSE_BENCH_PIPELINE", "suzhou".to_string());
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_disburse"));
    let target = exe
        .parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir: PathBuf = std::env::var("DISBURSE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| target.join(format!("bench-city-{persons}")));
    // v2: cities with 36-instalment loans (issue 5); v3: the loan file is the contract's
    // extract (instalments due or paid by the payout month)
    let marker = dir.join(".complete-v3");
    if !marker.exists() {
        eprintln!(
            "generating a city of {persons} persons in {}",
            dir.display()
        );
        let t = Instant::now();
        generate(&exe, persons, PAYOUT, &dir, true);
        std::fs::write(&marker, b"").expect("write marker");
        eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let twin = twin_without_loans(&dir);
    let city_of = |d: &Path| City {
        bytes: csv_bytes(d),
        rows: disburse::registers::FILES
            .iter()
            .map(|f| count_rows(&d.join(format!("{f}.csv"))))
            .sum(),
        contributions: count_rows(&d.join("contributions.csv")),
    };
    if std::env::var_os("DISBURSE_BENCH_COMPARE_LOANS").is_some() {
        let city = city_of(&dir);
        print_city(persons, &city);
        compare_loans(&exe, &dir, &twin, &pipeline, runs, &city);
        return;
    }
    // issue 2's and issue 3's city: contributions and registers, no loan book (an empty ledger
    // would otherwise pay every earlier instalment of 100,000 loans in one run)
    let city = city_of(&twin);
    print_city(persons, &city);
    let empty = time_runs(&exe, &twin, &pipeline, runs, Ledger::Fresh, &city);
    if history > 0 {
        let ledger = build_history(&exe, &target, &dir, persons, history);
        let with = time_runs(&exe, &twin, &pipeline, runs, Ledger::Shared(&ledger), &city);
        println!(
            "with {history} months of history: {with:.2} s vs {empty:.2} s with an empty ledger = {:.2}×",
            with / empty
        );
    }
}

fn print_city(persons: u32, city: &City) {
    println!(
        "city: {persons} persons, {} contribution rows, {} rows in all, {:.1} MB",
        city.contributions,
        city.rows,
        city.bytes as f64 / 1e6
    );
}

/// A sibling folder of symlinks to the city's files, whose loan file holds its header only.
fn twin_without_loans(dir: &Path) -> PathBuf {
    let twin = dir.with_file_name(format!(
        "{}-noloans",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("city")
    ));
    let _ = std::fs::remove_dir_all(&twin);
    std::fs::create_dir_all(&twin).expect("twin dir");
    for f in disburse::registers::FILES {
        let name = format!("{f}.csv");
        if f == "loan_repayments" {
            use std::io::BufRead;
            let file = std::fs::File::open(dir.join(&name)).expect("loans");
            let mut first = String::new();
            std::io::BufReader::new(file)
                .read_line(&mut first)
                .expect("loans header");
            let first = first.trim_end();
            std::fs::write(twin.join(&name), format!("{first}\n")).expect("write");
        } else {
            #[cfg(unix)]
            std::os::unix::fs::symlink(dir.join(&name), twin.join(&name)).expect("symlink");
        }
    }
    twin
}

/// The loan programmes' cost: the same city with and without its loan file, each run for
/// 2018-09 against a copy of a ledger that already holds the city's 2018-08 run (the steady
/// state of a monthly cron: the backlog of earlier instalments is paid, the month's own
/// instalments are new). Time with loans / time without is the figure issue 5 bounds (≤ 1.3).
fn compare_loans(exe: &Path, dir: &Path, twin: &Path, pipeline: &str, runs: u32, city: &City) {
    for (label, d) in [("without loans", twin), ("with loans", dir)] {
        let seed = d.join("ledger-2018-08.sqlite");
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", seed.display()));
        }
        let _ = std::fs::remove_dir_all(d.join("warm-out"));
        let t = Instant::now();
        let o = Command::new(exe)
            .args(["--log-level", "warn", "run", "--pipeline", pipeline])
            .args(["--month", "2018-08", "--input"])
            .arg(d)
            .arg("--out")
            .arg(d.join("warm-out"))
            .arg("--ledger")
            .arg(&seed)
            .output()
            .expect("start disburse run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        eprintln!(
            "{label}: 2018-08 recorded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    // the other reading of issue 5's bound: the same city, its loan file read and checked,
    // and the same ledger, with the two loan programmes disabled in the pipeline
    let off = dir.join("bench-pipeline-loan-programmes-off.toml");
    std::fs::write(&off, without_loan_programmes(pipeline)).expect("write pipeline");
    let off = off.to_string_lossy().into_owned();
    let configs: [(&str, &Path, &str); 3] = [
        ("without loans", twin, pipeline),
        ("with loans", dir, pipeline),
        ("with loans, loan programmes disabled", dir, &off),
    ];
    // the three runs take turns, so that a slow spell of the machine falls on all of them
    let mut walls: [Vec<f64>; 3] = Default::default();
    for round in 0..runs {
        for (k, (label, d, p)) in configs.iter().enumerate() {
            println!("round {} of {runs}, {label}:", round + 1);
            let seed = d.join("ledger-2018-08.sqlite");
            walls[k].push(time_runs(exe, d, p, 1, Ledger::CopyOf(&seed), city));
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    // each round's own ratios too: its runs are minutes apart, a drift of the machine's speed
    // over the rounds falls on both sides of them
    let mut whole: Vec<f64> = (0..walls[0].len())
        .map(|r| walls[1][r] / walls[0][r])
        .collect();
    let mut programmes: Vec<f64> = (0..walls[0].len())
        .map(|r| walls[1][r] / walls[2][r])
        .collect();
    let fmt = |v: &[f64]| {
        v.iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let (whole_rounds, programmes_rounds) = (fmt(&whole), fmt(&programmes));
    let [without, with, off] = walls.map(|mut v| median(&mut v));
    println!(
        "loan programmes: {with:.2} s with loans vs {without:.2} s without = {:.2}× (issue 5: ≤ 1.30×); per round {whole_rounds}, median {:.2}×",
        with / without,
        median(&mut whole)
    );
    println!(
        "loan programmes on the same inputs: {with:.2} s on vs {off:.2} s off = {:.2}×; per round {programmes_rounds}, median {:.2}×",
        with / off,
        median(&mut programmes)
    );
}

/// The pipeline's text with `loan_interest` and `loan_default_compensation` disabled.
fn without_loan_programmes(pipeline: &str) -> String {
    let path = if Path::new(pipeline).is_file() {
        PathBuf::from(pipeline)
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("pipelines")
            .join(format!("{pipeline}.toml"))
    };
    let text = std::fs::read_to_string(&path).expect("read the pipeline");
    let mut doc: toml::Table = text.parse().expect("parse the pipeline");
    if let Some(toml::Value::Table(progs)) = doc.get_mut("programmes") {
        for code in ["loan_interest", "loan_default_compensation"] {
            if let Some(toml::Value::Table(p)) = progs.get_mut(code) {
                p.insert("enabled".into(), toml::Value::Boolean(false));
            }
        }
    }
    toml::to_string(&doc).expect("write the pipeline")
}

/// A ledger holding the real runs of the `months` payout months before 2018-09 (cached).
fn build_history(exe: &Path, target: &Path, dir: &Path, persons: u32, months: u32) -> PathBuf {
    let ledger = dir.join(format!("history-{months}.sqlite"));
    let marker = dir.join(format!(".history-{months}"));
    if marker.exists() {
        return ledger;
    }
    let _ = std::fs::remove_file(&ledger);
    let tmp = target.join("bench-history-month");
    for k in (1..=months as i32).rev() {
        let idx = 2018 * 12 + 8 - k; // month index of 2018-09 is 2018 * 12 + 8
        let month = format!("{}-{:02}", idx / 12, idx % 12 + 1);
        let t = Instant::now();
        let _ = std::fs::remove_dir_all(&tmp);
        generate(exe, persons, &month, &tmp, false);
        let o = Command::new(exe)
            .args(["--log-level", "warn", "run", "--pipeline", "suzhou"])
            .args(["--month", &month, "--input"])
            .arg(&tmp)
            .arg("--out")
            .arg(tmp.join("out"))
            .arg("--ledger")
            .arg(&ledger)
            .output()
            .expect("start disburse run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        eprintln!(
            "history: {month} generated and recorded in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::write(&marker, b"").expect("write marker");
    ledger
}

/// The ledger each timed run writes into.
#[derive(Clone, Copy)]
enum Ledger<'a> {
    /// a fresh empty one per run
    Fresh,
    /// this one, for every run (re-runs of a month replace each other)
    Shared(&'a Path),
    /// a fresh copy of this one per run
    CopyOf(&'a Path),
}

/// Times `runs` runs of the payout month against the ledger `ledger` says, prints a summary,
/// and returns the median wall time.
fn time_runs(
    exe: &Path,
    dir: &Path,
    pipeline: &str,
    runs: u32,
    ledger: Ledger,
    city: &City,
) -> f64 {
    let out = dir.join("run-out");
    let fresh = dir.join("bench-empty-ledger.sqlite");
    let mut walls = Vec::new();
    for i in 0..runs {
        let l = match ledger {
            Ledger::Shared(l) => l.to_path_buf(),
            Ledger::Fresh | Ledger::CopyOf(_) => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", fresh.display()));
                    if let Ledger::CopyOf(seed) = ledger {
                        let from = format!("{}{ext}", seed.display());
                        if Path::new(&from).exists() {
                            std::fs::copy(&from, format!("{}{ext}", fresh.display()))
                                .expect("copy ledger");
                        }
                    }
                }
                fresh.clone()
            }
        };
        // (a folder per run, as a cron gives each month its own: a run refuses a folder holding
        // a run its ledger does not record — the fresh ledger copy records none)
        let _ = std::fs::remove_dir_all(&out);
        let t = Instant::now();
        let o = Command::new(exe)
            .args(["--log-format", "json", "run", "--pipeline", pipeline])
            .args(["--month", PAYOUT, "--input"])
            .arg(dir)
            .arg("--out")
            .arg(&out)
            .arg("--ledger")
            .arg(&l)
            .output()
            .expect("start disburse run");
        let wall = t.elapsed().as_secs_f64();
        assert!(
            o.status.success(),
            "run failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        walls.push(wall);
        let phases: Vec<String> = String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                if let Some(n) = v.get("months_paid_before") {
                    Some(format!("{n} months paid before"))
                } else {
                    v.get("elapsed_ms")
                        .map(|ms| format!("{} {ms} ms", v["message"].as_str().unwrap_or("?")))
                }
            })
            .collect();
        println!("run {}: {wall:.2} s wall ({})", i + 1, phases.join(", "));
    }
    walls.sort_by(|a, b| a.total_cmp(b));
    let median = walls[walls.len() / 2];
    println!(
        "{}: median wall {median:.2} s; peak RSS so far {:.2} GiB; {:.2} M rows/s; {:.0} MB/s; {:.2} M contribution rows/s",
        match ledger {
            Ledger::Fresh => "empty ledger",
            Ledger::Shared(_) => "with history",
            Ledger::CopyOf(_) => "copy of a recorded ledger",
        },
        children_max_rss_kib() as f64 / (1024.0 * 1024.0),
        city.rows as f64 / median / 1e6,
        city.bytes as f64 / median / 1e6,
        city.contributions as f64 / median / 1e6,
    );
    median
}
