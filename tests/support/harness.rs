//! The fuzz harness shared by tests/fuzz.rs and tests/properties.rs: budgets, a fixed or fresh
//! seed, a watchdog for hangs, saving what failed, and minimising a failing text.
//! Each test file includes it with `#[path = "support/harness.rs"] mod harness;`.

// Each including test uses only part of it.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

/// Why a case failed: `kind` names the broken check (stable across inputs, used to keep a
/// minimised input failing in the same way); `detail` says more.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: String,
    pub detail: String,
}

impl Failure {
    pub fn new(kind: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure {
            kind: kind.into(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.detail)
    }
}

fn env_num<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// How much to run: cases per batch, and (for long runs) how long to keep drawing batches.
pub struct Budget {
    pub cases: u32,
    pub seconds: Option<f64>,
    pub seed: u64,
}

pub fn budget(name: &str, default_cases: u32) -> Budget {
    let seconds: Option<f64> = env_num("REPORTLINT_FUZZ_SECONDS");
    let cases = env_num("REPORTLINT_FUZZ_CASES").unwrap_or(default_cases);
    let seed = env_num("REPORTLINT_FUZZ_SEED").unwrap_or_else(|| match seconds {
        // A long run explores: a fresh seed each time.
        Some(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        // The default pass is reproducible: the same seed every run, one per target.
        None => name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        }),
    });
    Budget {
        cases,
        seconds,
        seed,
    }
}

pub fn failures_dir() -> PathBuf {
    std::env::var_os("REPORTLINT_FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures"))
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics inside a case are expected while shrinking: record them instead of printing.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{place}\t{message}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into a failure of kind `panic at <file>:<line>`.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Failure> {
    install_hook();
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|_| {
        let recorded = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default();
        let (place, message) = recorded.split_once('\t').unwrap_or(("?", ""));
        Failure::new(format!("panic at {place}"), message.to_string())
    })
}

struct Watched {
    target: String,
    ext: &'static str,
    input: Vec<u8>,
    since: Instant,
}

fn watched() -> &'static Mutex<HashMap<ThreadId, Watched>> {
    static W: OnceLock<Mutex<HashMap<ThreadId, Watched>>> = OnceLock::new();
    W.get_or_init(|| {
        // A case that runs longer than this is a hang: save it and stop the process, since
        // a thread stuck in a loop cannot be interrupted.
        let limit = Duration::from_secs(env_num("REPORTLINT_FUZZ_HANG_SECONDS").unwrap_or(120));
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let map = watched().lock().unwrap_or_else(|e| e.into_inner());
            for w in map.values() {
                if w.since.elapsed() > limit {
                    let path = save(&w.target, "hang", w.ext, &w.input);
                    eprintln!(
                        "\nfuzz {}: a case ran for over {:?}; input saved to {}",
                        w.target,
                        limit,
                        path.display()
                    );
                    std::process::exit(3);
                }
            }
        });
        Mutex::new(HashMap::new())
    })
}

/// Marks the input the current thread works on, for the watchdog.
pub struct WatchGuard;

pub fn watch(target: &str, ext: &'static str, input: Vec<u8>) -> WatchGuard {
    let w = Watched {
        target: target.to_string(),
        ext,
        input,
        since: Instant::now(),
    };
    watched()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(std::thread::current().id(), w);
    WatchGuard
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        watched()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&std::thread::current().id());
    }
}

pub fn save(target: &str, tag: &str, ext: &str, bytes: &[u8]) -> PathBuf {
    let dir = failures_dir();
    let _ = std::fs::create_dir_all(&dir);
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{target}-{tag}-{hash:016x}.{ext}"));
    let _ = std::fs::write(&path, bytes);
    path
}

/// What a target needs besides its strategy and check.
pub struct Target<'a, V> {
    pub name: &'a str,
    pub default_cases: u32,
    /// The input as a file: its extension and bytes.
    pub save: &'a dyn Fn(&V) -> (&'static str, Vec<u8>),
    /// A smaller input that still fails with the same kind, if the target can make one.
    pub minimize: &'a dyn Fn(&V, &Failure) -> Option<V>,
    /// Failures already reported and pinned by a failing regression test: (kind prefix, why).
    /// They count as passes here, so that they do not hide new failures.
    pub known: &'a [(&'a str, &'a str)],
}

/// Runs `check` over values of `strategy`: one batch with a fixed seed by default, or
/// batches with fresh seeds until the time budget is spent. Panics with a report on failure;
/// with `REPORTLINT_FUZZ_KEEP_GOING=1` it reports every new kind of failure and goes on.
pub fn run<S>(
    t: Target<'_, S::Value>,
    strategy: S,
    check: impl Fn(&S::Value) -> Result<(), Failure>,
) where
    S: Strategy,
    S::Value: Debug,
{
    install_hook();
    let b = budget(t.name, t.default_cases);
    let keep_going = std::env::var_os("REPORTLINT_FUZZ_KEEP_GOING").is_some_and(|v| v != "0");
    let started = Instant::now();
    let mut cases = 0u64;
    let mut batch = 0u64;
    let seen = std::sync::Mutex::new(Vec::<String>::new());
    let known_hits = std::sync::atomic::AtomicU64::new(0);
    let mut found: Vec<String> = Vec::new();
    let slow = Duration::from_secs_f64(env_num("REPORTLINT_FUZZ_SLOW_SECONDS").unwrap_or(20.0));
    // A check with a time limit: slow is a finding too, an editor waits for every analysis.
    let timed = |v: &S::Value| {
        let began = Instant::now();
        guarded(|| check(v)).and_then(|r| r).and_then(|()| {
            let took = began.elapsed();
            if took > slow {
                Err(Failure::new(
                    "slow case",
                    format!("{took:.1?} (limit {slow:?})"),
                ))
            } else {
                Ok(())
            }
        })
    };
    let is_known = |f: &Failure| t.known.iter().any(|(k, _)| f.kind.starts_with(k));
    loop {
        let seed = b.seed.wrapping_add(batch);
        let config = Config {
            cases: b.cases,
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            max_shrink_iters: 512,
            max_shrink_time: 60_000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |v| {
            let (ext, bytes) = (t.save)(&v);
            let _guard = watch(t.name, ext, bytes);
            let outcome = timed(&v);
            match outcome {
                Ok(()) => Ok(()),
                Err(f) if is_known(&f) => {
                    known_hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Ok(())
                }
                Err(f) if seen.lock().unwrap().contains(&f.kind) => Ok(()),
                Err(f) => Err(TestCaseError::fail(f.to_string())),
            }
        });
        cases += u64::from(b.cases);
        batch += 1;
        let mut new_failure = false;
        match result {
            Ok(()) => {}
            Err(TestError::Abort(why)) => panic!("fuzz {}: aborted: {why}", t.name),
            Err(TestError::Fail(reason, value)) => {
                new_failure = true;
                let failure = match timed(&value) {
                    Err(f) => f,
                    Ok(()) => Failure::new("flaky", format!("passed when run again: {reason}")),
                };
                seen.lock().unwrap().push(failure.kind.clone());
                let (ext, bytes) = (t.save)(&value);
                let shrunk = save(t.name, "shrunk", ext, &bytes);
                let minimal = (failure.kind != "slow case")
                    .then(|| (t.minimize)(&value, &failure))
                    .flatten()
                    .map(|m| {
                        let (ext, bytes) = (t.save)(&m);
                        save(t.name, "min", ext, &bytes)
                    });
                let report = format!(
                    "fuzz {}: {failure}\n  seed {seed} (replay: REPORTLINT_FUZZ_SEED={seed} REPORTLINT_FUZZ_CASES={})\n  value: {value:?}\n  input: {}\n  minimised: {}\n  to keep it as a regression test, copy it to tests/fixtures/regressions/",
                    t.name,
                    b.cases,
                    shrunk.display(),
                    minimal.map_or_else(|| "-".to_string(), |p| p.display().to_string()),
                );
                if !keep_going {
                    panic!("{report}");
                }
                eprintln!("{report}");
                found.push(report);
            }
        }
        let done = match b.seconds {
            None => !(keep_going && new_failure),
            Some(s) => started.elapsed().as_secs_f64() >= s,
        };
        if done {
            break;
        }
    }
    let hits = known_hits.load(std::sync::atomic::Ordering::Relaxed);
    let known = if hits == 0 {
        String::new()
    } else {
        format!(", {hits} case(s) hit known issues")
    };
    assert!(
        found.is_empty(),
        "fuzz {}: {} kind(s) of failure:\n{}",
        t.name,
        found.len(),
        found.join("\n")
    );
    eprintln!(
        "fuzz {}: ok, {cases} cases in {batch} batch(es), {:.1}s, first seed {}{known}",
        t.name,
        started.elapsed().as_secs_f64(),
        b.seed
    );
}

/// Delta debugging over lines, then chars: the smallest text for which `fails` holds,
/// within a time limit.
pub fn minimize_text(text: &str, fails: &dyn Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut current = text.to_string();
    for by_char in [false, true] {
        let mut units: Vec<String> = if by_char {
            current.chars().map(String::from).collect()
        } else {
            current.split_inclusive('\n').map(String::from).collect()
        };
        let mut chunk = units.len().div_ceil(2).max(1);
        while chunk >= 1 && Instant::now() < deadline {
            let mut i = 0;
            let mut removed_any = false;
            while i < units.len() && Instant::now() < deadline {
                let end = (i + chunk).min(units.len());
                let candidate: String = units[..i].concat() + &units[end..].concat();
                if fails(&candidate) {
                    units.drain(i..end);
                    removed_any = true;
                } else {
                    i += chunk;
                }
            }
            if chunk == 1 && !removed_any {
                break;
            }
            if !removed_any {
                chunk /= 2;
            }
        }
        current = units.concat();
    }
    current
}

/// A fixture file: its path under tests/fixtures, and its text as read (a BOM kept).
pub struct Fixture {
    pub name: String,
    pub text: String,
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<Fixture>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(base, &p, out);
            continue;
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        let readme = p.file_name().is_some_and(|n| n == "README.md");
        if !matches!(ext, "txt" | "md") || readme {
            continue;
        }
        if let Ok(bytes) = std::fs::read(&p) {
            out.push(Fixture {
                name: p.strip_prefix(base).unwrap_or(&p).display().to_string(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
}

/// Every fixture: the seeds, the corpus, the rules' pass and fail drafts, the regressions.
pub fn fixtures() -> &'static [Fixture] {
    static ALL: std::sync::OnceLock<Vec<Fixture>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut out = Vec::new();
        for dir in ["seeds", "corpus", "rules", "regressions"] {
            collect(&base, &base.join(dir), &mut out);
        }
        assert!(!out.is_empty(), "no fixtures under {}", base.display());
        out
    })
}
