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
