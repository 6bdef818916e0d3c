//! Whole-run benchmark on a generated city: `cargo bench --bench payout`.
//!
//! Generates (once, cached) a city of `DISBURSE_BENCH_PERSONS` insured persons (default
//! 1,000,000: 5 contribution rows each, so 5M rows, plus 5 % flexible workers and the
//! registers), then runs the real `disburse run` binary `DISBURSE_BENCH_RUNS` times (default 3)
//! and reports wall time, peak resident memory (the child's max RSS from `getrusage`) and
//! throughput. Figures go to `docs/PERFORMANCE.md` by hand, with the command.
//!
//! Environment: `DISBURSE_BENCH_DIR` (default `<target>/bench-city-<persons>`),
//! `DISBURSE_BENCH_PERSONS`, `DISBURSE_BENCH_RUNS`, `DISBURSE_BENCH_PIPELINE` (default suzhou).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Bytes of the input CSV files.
fn dir_bytes(dir: &PathBuf) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn count_rows(path: &PathBuf) -> u64 {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count() as u64 - 1)
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

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let persons: u32 = env_or("DISBURSE_BENCH_PERSONS", 1_000_000);
    let runs: u32 = env_or("DISBURSE_BENCH_RUNS", 3);
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
    let marker = dir.join(".complete");
    if !marker.exists() {
        eprintln!(
            "generating a city of {persons} persons in {}",
            dir.display()
        );
        let t = Instant::now();
        let status = Command::new(&exe)
            .args([
                "gen-fixtures",
                "--persons",
                &persons.to_string(),
                "--seed",
                "42",
            ])
            .args(["--bad-share", "0.001", "--month", "2018-09", "--out"])
            .arg(&dir)
            .status()
            .expect("start disburse gen-fixtures");
        assert!(status.success(), "gen-fixtures failed");
        std::fs::write(&marker, b"").expect("write marker");
        eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let bytes = dir_bytes(&dir);
    let contrib_rows = count_rows(&dir.join("contributions.csv"));
    let all_rows: u64 = [
        "persons",
        "employers",
        "employment",
        "contributions",
        "internships",
        "loan_repayments",
    ]
    .iter()
    .map(|f| count_rows(&dir.join(format!("{f}.csv"))))
    .sum();
    println!(
        "city: {persons} persons, {contrib_rows} contribution rows, {all_rows} rows in all, {:.1} MB",
        bytes as f64 / 1e6
    );
    let out = dir.join("run-out");
    let mut walls = Vec::new();
    for i in 0..runs {
        let t = Instant::now();
        let o = Command::new(&exe)
            .args([
                "--log-format",
                "json",
                "run",
                "--pipeline",
                &pipeline,
                "--month",
                "2018-09",
            ])
            .arg("--input")
            .arg(&dir)
            .arg("--out")
            .arg(&out)
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
            .filter(|l| l.contains("elapsed_ms"))
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| {
                format!(
                    "{} {} ms",
                    v["message"].as_str().unwrap_or("?"),
                    v["elapsed_ms"]
                )
            })
            .collect();
        println!("run {}: {wall:.2} s wall ({})", i + 1, phases.join(", "));
    }
    walls.sort_by(|a, b| a.total_cmp(b));
    let median = walls[walls.len() / 2];
    let rss = children_max_rss_kib();
    println!(
        "median wall {median:.2} s; peak RSS {:.2} GiB; {:.2} M rows/s; {:.0} MB/s; {:.2} M contribution rows/s",
        rss as f64 / (1024.0 * 1024.0),
        all_rows as f64 / median / 1e6,
        bytes as f64 / median / 1e6,
        contrib_rows as f64 / median / 1e6,
    );
}
