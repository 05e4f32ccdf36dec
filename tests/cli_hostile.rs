//! Hostile files for `reportlint check`, run through the real binary: binary data, a 10 MB
//! line, deep nesting, invalid UTF-8, GBK, files that vanish or change while being checked,
//! unreadable files, symlink loops, endless files and names that are not UTF-8.
//!
//! Each gives a clear message and the right exit code (0 clean, 1 errors found, 2 IO or usage
//! error), and the other files are still checked.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A report with no findings at all.
fn clean() -> String {
    fixture("rules/L001_row-total-mismatch/pass.txt")
}

/// A report with errors (a wrong percentage, P003).
fn with_errors() -> String {
    fixture("seeds/000_27b6cab774d2b1c9.txt")
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn show(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.stdout.chars().take(3000).collect::<String>(),
            self.stderr.chars().take(3000).collect::<String>()
        )
    }

    fn sane(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "a panic:\n{}",
            self.show()
        );
        assert!(
            matches!(self.code, Some(0..=2)),
            "exit code not 0, 1 or 2:\n{}",
            self.show()
        );
    }
}

fn from_output(o: Output) -> Run {
    Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `reportlint check --lang en --format concise ARGS` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "--format", "concise"])
        .args(args)
        .current_dir(dir)
        .env_remove("REPORTLINT_LANG")
        .output()
        .expect("run reportlint");
    let run = from_output(out);
    run.sane();
    run
}

/// How many files the summary line says were checked.
fn checked(run: &Run) -> usize {
    run.stdout
        .lines()
        .find_map(|l| l.strip_prefix("Checked "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line:\n{}", run.show()))
}

#[test]
fn clean_and_failing_files_give_0_and_1() {
    let dir = scratch("codes");
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    std::fs::write(dir.join("errors.txt"), with_errors()).unwrap();
    let run = check(&dir, &["clean.txt"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let run = check(&dir, &["clean.txt", "errors.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(run.stdout.contains("errors.txt:"), "{}", run.show());
    let run = check(&dir, &["--no-such-flag"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
}

#[test]
fn binary_files_are_refused_and_the_others_checked() {
    let dir = scratch("binary");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    std::fs::write(dir.join("image.txt"), png).unwrap();
    std::fs::write(dir.join("nul.md"), b"# \xe6\x8a\xa5\xe5\x91\x8a\0\0\0").unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let run = check(&dir, &["image.txt", "nul.md", "clean.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    for name in ["image.txt", "nul.md"] {
        assert!(
            run.stderr.contains(&format!("{name}: not a text file")),
            "{name}:\n{}",
            run.show()
        );
    }
    assert_eq!(checked(&run), 1, "{}", run.show());
    // The same through a directory walk.
    let run = check(&dir, &["."]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    assert_eq!(checked(&run), 1, "{}", run.show());
}

#[test]
fn invalid_utf8_is_refused_with_a_clear_message() {
    let dir = scratch("utf8");
    // Invalid in UTF-8 and in GB18030.
    std::fs::write(dir.join("bad.txt"), b"abc\xff\xfe\x80def\n").unwrap();
    // A surrogate encoded in UTF-8 (CESU-8), and an overlong encoding.
    std::fs::write(dir.join("surrogate.txt"), b"\xed\xa0\x80\xc0\xaf\n").unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let run = check(&dir, &["bad.txt", "surrogate.txt", "clean.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    assert!(
        run.stderr.contains("bad.txt: not a text file"),
        "{}",
        run.show()
    );
    // These bytes happen to be valid GB18030 (0x80 is €): read that way, with a note.
    assert!(
        run.stderr.contains("surrogate.txt: not a text file")
            || run.stderr.contains("surrogate.txt was read as GB18030"),
        "{}",
        run.show()
    );
    assert!(matches!(checked(&run), 1 | 2), "{}", run.show());
    // A UTF-8 text with a BOM, and UTF-16 with a BOM, are read.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(clean().as_bytes());
    std::fs::write(dir.join("bom.txt"), bom).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    for u in clean().encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.join("utf16.txt"), utf16).unwrap();
    let run = check(&dir, &["bom.txt", "utf16.txt"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(
        run.stderr.contains("utf16.txt was read as UTF-16LE"),
        "{}",
        run.show()
    );
}

#[test]
fn gbk_files_are_decoded_with_a_note() {
    let dir = scratch("gbk");
    for (name, text) in [("errors", with_errors()), ("clean", clean())] {
        std::fs::write(dir.join(format!("{name}.txt")), &text).unwrap();
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable, "{name} has characters outside GBK");
        std::fs::write(dir.join(format!("{name}-gbk.txt")), &gbk).unwrap();
    }
    for name in ["errors", "clean"] {
        let utf8 = check(&dir, &[&format!("{name}.txt")]);
        let gbk = check(&dir, &[&format!("{name}-gbk.txt")]);
        assert_eq!(utf8.code, gbk.code, "{}\n{}", utf8.show(), gbk.show());
        assert!(
            gbk.stderr
                .contains(&format!("{name}-gbk.txt was read as GB18030")),
            "{}",
            gbk.show()
        );
        // The same findings at the same places.
        assert_eq!(
            utf8.stdout.replace(&format!("{name}.txt"), "F"),
            gbk.stdout.replace(&format!("{name}-gbk.txt"), "F"),
        );
    }
    // Standard input too.
    let report = with_errors();
    let (gbk, _, _) = encoding_rs::GBK.encode(&report);
    let mut child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "--format", "concise", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = gbk.into_owned();
    let feeder = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&bytes);
    });
    let run = from_output(child.wait_with_output().unwrap());
    feeder.join().unwrap();
    run.sane();
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(
        run.stderr.contains("<stdin> was read as GB18030"),
        "{}",
        run.show()
    );
}

#[test]
fn a_ten_megabyte_line() {
    let dir = scratch("long");
    let line: String = "本机关持续推进政务公开，共发布信息10条。"
        .chars()
        .cycle()
        .take((10 << 20) / 3)
        .collect();
    std::fs::write(dir.join("long.txt"), &line).unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let started = Instant::now();
    let run = check(&dir, &["long.txt", "clean.txt"]);
    let took = started.elapsed();
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.show());
    assert_eq!(checked(&run), 2, "{}", run.show());
    // Findings on the line are shown in a window, not the whole line.
    assert!(
        run.stdout.len() < 64 << 10,
        "{} bytes of output",
        run.stdout.len()
    );
    eprintln!("a 10 MB line: {took:.1?}");
    // The text format's code frame cuts the line too.
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "long.txt"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.stdout.len() < 64 << 10, "{} bytes", out.stdout.len());
}

#[test]
fn deep_nesting() {
    let dir = scratch("nesting");
    let quotes = format!("{} 一、总体情况\n", ">".repeat(10_000));
    let mut lists = String::new();
    for depth in 0..2_000 {
        lists.push_str(&"  ".repeat(depth));
        lists.push_str("- 共发布信息10条\n");
    }
    let inline = format!("{}x\n", "- ".repeat(10_000));
    let brackets = format!("{}10件{}\n", "（".repeat(10_000), "）".repeat(10_000));
    let headings = format!("{}\n", "#".repeat(10_000));
    let table = format!("{}\n", "|".repeat(100_000));
    for (name, text) in [
        ("quotes.md", quotes),
        ("lists.md", lists),
        ("inline.md", inline),
        ("brackets.txt", brackets),
        ("headings.md", headings),
        ("pipes.md", table),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let run = check(&dir, &["."]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.show());
    assert_eq!(checked(&run), 7, "{}", run.show());
}

/// Files named on the command line that are gone by the time they are read. The first files
/// are named pipes, so the test decides when reading gets past them: the victim is removed
/// after discovery and before it is read.
#[cfg(target_os = "linux")]
#[test]
fn a_file_removed_between_discovery_and_read() {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    let dir = scratch("vanish");
    // As many pipes as the checker has workers: every worker waits on one.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = Vec::new();
    for k in 0..workers {
        let name = format!("pipe{k}.txt");
        let made = Command::new("mkfifo").arg(dir.join(&name)).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        args.push(name);
    }
    std::fs::write(dir.join("victim.txt"), clean()).unwrap();
    args.push("victim.txt".into());
    let child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "--format", "concise"])
        .args(&args)
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A writer opens without blocking once a reader waits on the pipe: the first worker is
    // reading, so discovery is over.
    const O_NONBLOCK: i32 = 0o4000;
    let open_writer = |name: &str| {
        std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(dir.join(name))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut writers = Vec::new();
    while writers.is_empty() {
        if let Ok(w) = open_writer("pipe0.txt") {
            writers.push(w);
        }
        assert!(
            Instant::now() < deadline,
            "the checker never read pipe0.txt"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::fs::remove_file(dir.join("victim.txt")).unwrap();
    for name in &args[1..workers] {
        loop {
            if let Ok(w) = open_writer(name) {
                writers.push(w);
                break;
            }
            assert!(Instant::now() < deadline, "the checker never read {name}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let text = clean();
    for mut w in writers {
        w.write_all(text.as_bytes()).unwrap();
    }
    let run = from_output(child.wait_with_output().unwrap());
    run.sane();
    assert_eq!(run.code, Some(2), "{}", run.show());
    assert!(
        run.stderr.contains("victim.txt: no such file or directory"),
        "{}",
        run.show()
    );
    assert_eq!(checked(&run), workers, "{}", run.show());
}

/// A file rewritten again and again while it is checked: whatever the checker reads (half a
/// write, nothing, another encoding), it reports it or refuses it, and never panics.
#[test]
fn a_file_that_changes_while_being_checked() {
    let dir = scratch("changing");
    let path = dir.join("moving.txt");
    let report = with_errors();
    let (gbk, _, _) = encoding_rs::GBK.encode(&report);
    let versions: Vec<Vec<u8>> = vec![
        report.as_bytes().to_vec(),
        gbk.into_owned(),
        Vec::new(),
        report.as_bytes()[..report.len() / 2].to_vec(),
        b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
        clean().into_bytes(),
    ];
    std::fs::write(&path, &versions[0]).unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let mut k = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // Truncate and write in pieces, so readers see partial files.
                let v = &versions[k % versions.len()];
                if let Ok(mut f) = std::fs::File::create(&path) {
                    use std::io::Write;
                    for chunk in v.chunks(97) {
                        let _ = f.write_all(chunk);
                    }
                }
                if k % 7 == 3 {
                    let _ = std::fs::remove_file(&path);
                }
                k += 1;
            }
        })
    };
    let mut codes = std::collections::BTreeMap::new();
    for _ in 0..25 {
        let run = check(&dir, &["moving.txt", "clean.txt"]);
        if run.code == Some(2) {
            assert!(run.stderr.contains("moving.txt"), "{}", run.show());
        }
        assert!(checked(&run) >= 1, "{}", run.show());
        *codes.entry(run.code).or_insert(0) += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("exit codes while the file changed: {codes:?}");
}

/// chmod 000. As root (common in containers) the file can still be read: the test says so and
/// skips, rather than pass for the wrong reason.
#[cfg(unix)]
#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;

    let dir = scratch("unreadable");
    std::fs::write(dir.join("secret.txt"), clean()).unwrap();
    std::fs::create_dir(dir.join("locked")).unwrap();
    std::fs::write(dir.join("locked/inner.txt"), clean()).unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&dir.join("secret.txt"), 0o000);
    set(&dir.join("locked"), 0o000);
    let readable = std::fs::read(dir.join("secret.txt")).is_ok();
    let result = std::panic::catch_unwind(|| {
        if readable {
            eprintln!("skipped: chmod 000 does not stop this user from reading (running as root?)");
            return;
        }
        let run = check(&dir, &["secret.txt", "clean.txt"]);
        assert_eq!(run.code, Some(2), "{}", run.show());
        assert!(
            run.stderr.contains("secret.txt: permission denied"),
            "{}",
            run.show()
        );
        assert_eq!(checked(&run), 1, "{}", run.show());
        let run = check(&dir, &["."]);
        assert_eq!(run.code, Some(2), "{}", run.show());
        assert!(
            run.stderr.contains("locked: permission denied"),
            "{}",
            run.show()
        );
    });
    set(&dir.join("secret.txt"), 0o644);
    set(&dir.join("locked"), 0o755);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;

    let dir = scratch("links");
    std::fs::create_dir_all(dir.join("tree/sub")).unwrap();
    std::fs::write(dir.join("tree/a.txt"), clean()).unwrap();
    std::fs::write(dir.join("tree/sub/b.md"), clean()).unwrap();
    // A link to a parent directory, a cycle of two links, a link to itself, a dangling link,
    // a link named like a report that points at a directory, and a link to a real report.
    symlink("..", dir.join("tree/sub/up")).unwrap();
    symlink("loop2.md", dir.join("tree/loop1.md")).unwrap();
    symlink("loop1.md", dir.join("tree/loop2.md")).unwrap();
    symlink("self.txt", dir.join("tree/self.txt")).unwrap();
    symlink("/nonexistent/report.txt", dir.join("tree/dangling.txt")).unwrap();
    symlink("..", dir.join("tree/sub/dir.txt")).unwrap();
    symlink("a.txt", dir.join("tree/alias.txt")).unwrap();
    let started = Instant::now();
    let run = check(&dir, &["tree"]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the walk loops"
    );
    assert_eq!(run.code, Some(0), "{}", run.show());
    // a.txt, alias.txt and sub/b.md; loops, dangling links and links to directories are left out.
    assert_eq!(checked(&run), 3, "{}", run.show());
    // Named on the command line, a loop is an error with its reason; the rest is checked.
    let run = check(&dir, &["tree/self.txt", "tree/loop1.md", "tree/a.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    for name in ["tree/self.txt", "tree/loop1.md"] {
        assert!(
            run.stderr.contains(&format!("{name}: ")),
            "{name}:\n{}",
            run.show()
        );
    }
    assert_eq!(checked(&run), 1, "{}", run.show());
    let run = check(&dir, &["tree/dangling.txt", "tree/a.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    assert!(
        run.stderr
            .contains("tree/dangling.txt: no such file or directory"),
        "{}",
        run.show()
    );
}

#[test]
fn missing_paths_and_empty_directories() {
    let dir = scratch("missing");
    std::fs::create_dir(dir.join("empty")).unwrap();
    std::fs::write(dir.join("clean.txt"), clean()).unwrap();
    std::fs::write(dir.join("notes.docx.bak"), b"x").unwrap();
    let run = check(&dir, &["nope.txt", "clean.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.show());
    assert!(
        run.stderr.contains("nope.txt: no such file or directory"),
        "{}",
        run.show()
    );
    assert_eq!(checked(&run), 1, "{}", run.show());
    let run = check(&dir, &["empty"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(checked(&run), 0, "{}", run.show());
    // An empty file is a report with nothing in it: findings, not an IO error.
    std::fs::write(dir.join("blank.txt"), b"").unwrap();
    let run = check(&dir, &["blank.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
}

/// `reportlint check /dev/zero` (or a pipe that never ends) reads until memory runs out: the
/// file is read whole (`files::read`, `fs::read`) with no limit and no check that it is a
/// regular file. Expected: a clear refusal (not a regular file, or too large) before it has
/// taken much memory.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_not_read_without_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "/dev/zero"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limit_kib = 512 * 1024;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut peak = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        let rss = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            })
            .unwrap_or(0);
        peak = peak.max(rss);
        if rss > limit_kib || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    let status = status.unwrap_or_else(|| {
        panic!("stopped at {peak} KiB: /dev/zero is read without limit\n{stderr}")
    });
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero"), "{stderr}");
}

/// A shell glob passes file names as bytes; on Linux a name need not be UTF-8 (a zip made on
/// Chinese Windows unpacks to GBK-encoded names). The argument parser (`src/cli/args.rs`,
/// `parse`) turns every argument into a `String` and fails the whole run with a usage error, so
/// not even the other files are checked. Paths could stay `OsString`s.
#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_still_checked() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = scratch("names");
    let (gbk_name, _, _) = encoding_rs::GBK.encode("年度报告.txt");
    let name = OsStr::from_bytes(&gbk_name);
    std::fs::write(dir.join(name), clean()).unwrap();
    std::fs::write(dir.join("ok.txt"), clean()).unwrap();
    // Through a directory walk it works.
    let run = check(&dir, &["."]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(checked(&run), 2, "{}", run.show());
    // Named on the command line, as `reportlint check *` names it.
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--lang", "en", "--format", "concise"])
        .arg(name)
        .arg("ok.txt")
        .current_dir(&dir)
        .output()
        .unwrap();
    let run = from_output(out);
    run.sane();
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(checked(&run), 2, "{}", run.show());
}
