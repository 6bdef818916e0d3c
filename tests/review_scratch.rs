mod support;
use std::path::Path;
use support::*;

const SZ_AREA: &str = "320505";
const FLEX_PIPE: &str = "fixtures/demo/suzhou-flex.toml";

fn flex(c: &mut City, p: &str, period: &str, insurance: &str, paid: &str) {
    let (base, personal) = match insurance {
        "pension" => ("3500.00", "700.00"),
        "medical" => ("3500.00", "350.00"),
        _ => unreachable!(),
    };
    c.si(p, "", period, insurance, base, "0.00", personal, paid);
}

fn ledger_run(input: &Path, pipeline: &str, month: &str, work: &Path) -> (Vec<u8>, Vec<u8>) {
    let out = work.join(format!("out-{month}"));
    let o = run_in(input, pipeline, month, &out, &work.join("ledger.sqlite"));
    assert!(
        o.status.success(),
        "run {month} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        std::fs::read(out.join("payments.csv")).unwrap(),
        std::fs::read(out.join("exceptions.csv")).unwrap(),
    )
}

#[test]
fn flex_second_run_with_earlier_month_in_extract() {
    let f2 = rid(SZ_AREA, "1978-03-02", "004");
    let mk = |months: &[&str]| {
        let mut c = City::new();
        c.persons.push(format!(
            "{f2},P,Y,2017-12-01,,,other,N,102305000012,1102020109000012345"
        ));
        for m in months {
            flex(&mut c, &f2, m, "pension", "2018-04-20");
            flex(&mut c, &f2, m, "medical", "2018-04-20");
        }
        c
    };
    let work = tempfile::tempdir().unwrap();
    let d1 = mk(&["2018-03", "2018-04"]).write();
    let (p1, x1) = ledger_run(d1.path(), FLEX_PIPE, "2018-04", work.path());
    println!(
        "RUN1\n{}\n{}",
        String::from_utf8_lossy(&p1),
        String::from_utf8_lossy(&x1)
    );
    let d2 = mk(&["2018-03", "2018-04", "2018-05"]).write();
    let (p2, x2) = ledger_run(d2.path(), FLEX_PIPE, "2018-05", work.path());
    println!(
        "RUN2\n{}\n{}",
        String::from_utf8_lossy(&p2),
        String::from_utf8_lossy(&x2)
    );
}

#[test]
fn gbk_small_files_read_as_utf8() {
    use disburse::ingest::decode::{decode, Detected};
    use disburse::pipeline::Encoding;
    // GB2312 level-1 characters
    let mut chars = Vec::new();
    for hi in 0xB0u8..=0xD7 {
        for lo in 0xA1u8..=0xFE {
            let pair = [hi, lo];
            let (s, _, bad) = encoding_rs::GBK.decode(&pair);
            if !bad {
                chars.push(s.chars().next().unwrap());
            }
        }
    }
    let mut seed = 12345u64;
    let mut rnd = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    for nchars in [2usize, 3, 4, 8, 20, 60] {
        let (mut flipped, mut total) = (0, 0);
        let mut example = None;
        for _ in 0..20000 {
            let name: String = (0..nchars).map(|_| chars[rnd(chars.len())]).collect();
            let row = format!("person_id,name\n320505197803020044,{name}\n");
            let (b, _, _) = encoding_rs::GBK.encode(&row);
            if std::str::from_utf8(&b).is_ok() {
                continue;
            }
            total += 1;
            let (text, d, _) = decode(&b, Encoding::Auto);
            if d == Detected::Utf8 {
                flipped += 1;
                if example.is_none() {
                    example = Some((name.clone(), text.into_owned()));
                }
            }
        }
        println!("{nchars} chars: {flipped}/{total} GBK files read as UTF-8; e.g. {example:?}");
    }
}

#[test]
fn gbk_two_rows_garbled_name_accepted() {
    use disburse::ingest::decode::decode;
    use disburse::pipeline::Encoding;
    let text = "person_id,name\n1,陈丽\n2,张伟\n3,李娜\n";
    let (b, _, _) = encoding_rs::GBK.encode(text);
    println!("{:02X?}", &b[15..]);
    let (t, d, bad) = decode(&b, Encoding::Auto);
    println!("{d:?} bad={bad} {t:?}");
    // find 2-char GBK names that are valid UTF-8
    let mut found = vec![];
    for hi in 0xC2u8..=0xDF { for lo in 0xA1u8..=0xBF {
        let pair=[hi,lo]; let (s,_,e)=encoding_rs::GBK.decode(&pair); if !e { found.push(s.into_owned()); }
    }}
    println!("{}", found.iter().take(40).cloned().collect::<Vec<_>>().join(""));
    let text = format!("person_id,name\n1,{}{}\n2,王芳\n", found[5], found[17]);
    let (b, _, _) = encoding_rs::GBK.encode(&text);
    let (t, d, bad) = decode(&b, Encoding::Auto);
    println!("{text:?} -> {d:?} bad={bad} {t:?}");
}

#[test]
fn gbk_flip_demo() {
    use disburse::ingest::decode::decode;
    use disburse::pipeline::Encoding;
    for text in ["person_id,name\n1,卢鹿\n2,钮杨氮\n", "person_id,name\n1,卢鹿\n2,陆鲁\n3,谊汉虾踊\n"] {
        let (b, _, _) = encoding_rs::GBK.encode(text);
        let (t, d, bad) = decode(&b, Encoding::Auto);
        println!("{text:?} -> {d:?} bad={bad} {t:?}");
    }
}

fn emp_id(n: u32) -> String { credit(&format!("91320508{n:09}")) }

#[test]
fn hire_older_limit_taken_at_second_employer_start() {
    let a = emp_id(26);
    let b = emp_id(27);
    // born 1974-06-01: 43 on 2018-01-01 (first subsidised month, at A) -> 36 months;
    // 45 on 2020-01-01 (hire at B)
    let p = rid(SZ_AREA, "1974-06-01", "002");
    let mk = |with_b: bool| {
        let mut c = City::new();
        c.employer(&a, "A", "small");
        c.employer(&b, "B", "small");
        c.hardship_person(&p, "P", "2017-11-01", "disabled");
        c.job(&p, &a, "2018-01-01", "2019-12-31", "regular");
        c.job(&p, &b, "2020-01-01", "", "regular");
        if !with_b { for m in months("2018-01", 24) { c.pension(&p, &a, &m, "2019-12-20"); } }
        else { for m in months("2020-01", 30) { c.pension(&p, &b, &m, "2022-06-20"); } }
        c
    };
    let work = tempfile::tempdir().unwrap();
    let d1 = mk(false).write();
    let (p1, _) = ledger_run(d1.path(), "suzhou", "2019-12", work.path());
    let n1 = payment_rows(&p1).len();
    let d2 = mk(true).write();
    let (p2, x2) = ledger_run(d2.path(), "suzhou", "2022-06", work.path());
    let rows = payment_rows(&p2);
    println!("run1 {n1} lines; run2 {} lines at B; last basis {:?}", rows.len(), rows.last().map(|r| r["basis"].clone()));
    println!("{}", String::from_utf8_lossy(&x2));
}
