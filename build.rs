//! Records the commit the program is built from (`DISBURSE_COMMIT`), for the manifest: the
//! version alone does not tell two builds apart. `-dirty` is appended when the files it is built
//! from differ from that commit; outside a git checkout (a source tarball) it is `unknown`.
//! (A target directory shared by several checkouts rebuilds by file times: the commit is that
//! of the checkout last built into it.)

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let o = Command::new("git").args(args).output().ok()?;
    if !o.status.success() {
        return None;
    }
    String::from_utf8(o.stdout)
        .ok()
        .map(|s| s.trim().to_string())
}

fn main() {
    let commit = git(&["rev-parse", "HEAD"])
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|c| {
            // (--no-optional-locks: status must not rewrite .git/index, which is watched)
            let mut args = vec![
                "--no-optional-locks",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
            ];
            args.extend(BUILT_FROM);
            let dirty = git(&args).is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{c}-dirty")
            } else {
                c
            }
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=DISBURSE_COMMIT={commit}");
    // rebuilt with its id when HEAD moves or the branch it names does (in a worktree or a
    // submodule `.git` is a file: the real folders come from git itself), and when files
    // change (the dirty mark)
    let dir = |arg: &str| git(&["rev-parse", arg]).map(PathBuf::from);
    if let (Some(gitdir), Some(common)) = (dir("--git-dir"), dir("--git-common-dir")) {
        for p in [
            gitdir.join("HEAD"),
            gitdir.join("index"),
            common.join("refs/heads"),
            common.join("packed-refs"),
        ] {
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
    for p in BUILT_FROM {
        println!("cargo:rerun-if-changed={p}");
    }
}

/// What the binary is built from (the `-dirty` mark looks at these only).
const BUILT_FROM: [&str; 6] = [
    "build.rs",
    "Cargo.toml",
    "Cargo.lock",
    "src",
    "pipelines",
    "xsd",
];
