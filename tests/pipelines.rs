//! Every shipped pipeline loads, passes the run's checks, and every parameter in it carries a
//! citation and dated values (or is an explicitly unset published standard with a note).

use disburse::pipeline::Pipeline;

const SHIPPED: [&str; 5] = ["suzhou", "wujiang", "jiangyin", "songyuan", "jinan"];

#[test]
fn every_parameter_of_every_pipeline_is_dated_and_cited() {
    for name in SHIPPED {
        let p = Pipeline::load(&format!(
            "{}/pipelines/{name}.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.name, name);
        assert!(
            !p.document.is_empty() || name == "wujiang",
            "{name}: no document"
        );
        let mut n = 0;
        for (param, v) in p.params.iter() {
            n += 1;
            assert!(
                v.clause.chars().count() >= 8,
                "{name}: {param} has no real citation: {:?}",
                v.clause
            );
            if v.values.is_empty() {
                assert!(
                    !v.note.is_empty(),
                    "{name}: {param} is unset without a note saying why"
                );
            }
            for val in &v.values {
                assert!(
                    !val.clause.trim().is_empty(),
                    "{name}: {param} value from {} uncited",
                    val.from
                );
            }
        }
        assert!(n > 5, "{name}: only {n} parameters");
        for (code, spec) in &p.programmes {
            assert!(
                !spec.clause.trim().is_empty(),
                "{name}: programme {code} uncited"
            );
        }
    }
}

#[test]
fn every_shipped_pipeline_passes_the_run_checks() {
    for name in SHIPPED {
        let p = disburse::run::load_pipeline(name);
        assert!(
            p.is_ok(),
            "{name}: {}",
            p.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
}

#[test]
fn params_command_prints_values_in_force_with_clauses() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_disburse"))
        .args(["params", "--pipeline", "suzhou", "--date", "2018-09-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // 苏府〔2017〕158号 （九）: 70 % of the minimum wage; Jiangsu class I 2020 from 2018-08-01
    assert!(text.contains("internship_base.share = 0.70"), "{text}");
    assert!(
        text.contains("min_wage = 2020 yuan/month (from 2018-08-01)"),
        "{text}"
    );
    assert!(
        text.contains("si_hardship_flexible.amount: UNSET"),
        "{text}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_disburse"))
        .args(["pipelines"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for name in SHIPPED {
        assert!(
            text.contains(&format!("{name} — ")),
            "{name} missing:\n{text}"
        );
    }
}

// 吴江区 applies Suzhou's rules to its own employers (local.region = 320509) and reports the
// year's counts against its action plan's targets. In the demo city only 苏州吴江小叶软件有限公司
// (913205095874302956, region 320509) is in Wujiang: its intern 彭可欣 (JX2018-0001,
// 2018-07-01..2018-12-31, mentor named) gives 1890 × 0.70 = 1323.00 (2018-07) + 2020 × 0.70 =
// 1414.00 (2018-08, 2018-09) = 4151.00 and 3 × 150.00 = 450.00 (苏府〔2017〕158号 （九）); no
// hardship hire is in the district. Targets 2018: internship posts 100 (actual 1 placement),
// public-welfare posts 900 (actual 0), hardship persons employed 5000 (actual 0).
#[test]
fn wujiang_pays_its_own_employers_and_reports_targets() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_disburse"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--pipeline",
            "wujiang",
            "--month",
            "2018-09",
            "--input",
            "fixtures/demo",
            "--out",
        ])
        .arg(&out)
        .arg("--ledger")
        .arg(work.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut rdr = csv::Reader::from_path(out.join("payments.csv")).unwrap();
    let mut total = rust_decimal::Decimal::ZERO;
    for r in rdr.records() {
        let r = r.unwrap();
        assert_eq!(&r[7], "913205095874302956", "only the Wujiang host is paid");
        total += r[9].parse::<rust_decimal::Decimal>().unwrap();
    }
    assert_eq!(total.to_string(), "4601.00"); // 4151.00 + 450.00
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let c = &s["targets"]["counts"];
    assert_eq!(s["targets"]["year"], 2018);
    assert_eq!(c["internship_posts"]["target"], "100");
    assert_eq!(c["internship_posts"]["actual"], 1);
    assert_eq!(c["public_welfare_posts"]["target"], "900");
    assert_eq!(c["public_welfare_posts"]["actual"], 0);
    assert_eq!(c["hardship_employed"]["target"], "5000");
    assert_eq!(c["reemployed"]["actual"], serde_json::Value::Null);
}

mod support;

// 澄政发〔2019〕18号 （十三）“公益性岗位补贴标准按照每月1000元标准执行”: the employer of a person
// on a public-welfare post gets 1000.00 for each month of the contract whose employer SI was paid
// by the end of the payout month — 2019-02 and 2019-03 paid, 2019-04 unpaid → 2 × 1000.00. The
// pipeline pays employers of Jiangyin (local.region 320281) only: the same post at an employer
// of another division is not Jiangyin's to pay. Jiangyin's SI subsidies stay off (its text does
// not define the hardship person), so nothing else is paid.
#[test]
fn jiangyin_public_welfare_post_is_1000_a_month_for_its_own_employers() {
    use support::*;
    let (e, other) = (credit("91320281MA1JYPW01"), credit("91320505MA1NTPW01"));
    let (a, b) = (
        rid("320281", "1975-03-03", "021"),
        rid("320281", "1976-04-04", "031"),
    );
    let mut c = City::new();
    c.employers.push(format!(
        "{e},江阴公益服务中心,small,public_body,2009-04-16,,N,320281,102302000012,1102020109000099999"
    ));
    c.employer(&other, "苏州另一单位", "small");
    c.hardship_person(&a, "江阴甲", "2018-10-01", "");
    c.hardship_person(&b, "苏州乙", "2018-10-01", "");
    c.job(&a, &e, "2019-02-01", "2020-01-31", "public_welfare");
    c.job(&b, &other, "2019-02-01", "2020-01-31", "public_welfare");
    c.pension(&a, &e, "2019-02", "2019-02-15");
    c.pension(&a, &e, "2019-03", "2019-03-15");
    c.pension(&a, &e, "2019-04", "");
    c.pension(&b, &other, "2019-02", "2019-02-15");
    let dir = c.write();
    let r = run_ok(dir.path(), "jiangyin", "2019-04");
    let lines: Vec<Pay> = payment_rows(&r.read("payments.csv"))
        .into_iter()
        .map(|x| {
            assert_eq!(x["pipeline"], "jiangyin");
            employer_pay(
                &x["programme"],
                &x["service_month"],
                &x["payee_id"],
                &x["beneficiary_id"],
                &x["amount"],
            )
        })
        .collect();
    assert_same(
        "payments",
        &lines,
        &[
            employer_pay("public_welfare_post", "2019-02", &e, &a, "1000.00"),
            employer_pay("public_welfare_post", "2019-03", &e, &a, "1000.00"),
        ],
    );
}
