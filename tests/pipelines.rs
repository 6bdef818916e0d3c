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
