//! The language server: documents, configuration, and one short handler per request.
//!
//! Edits are applied to a document's rope as they arrive; analysis runs in a background task
//! that always takes the newest version, so a burst of keystrokes costs one analysis, not one
//! per keystroke. Handlers that need results (code actions, hover) analyse on the spot when
//! the background task has not caught up.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types as lsp;
use tower_lsp::{Client, LanguageServer};

use crate::diagnostic::{Applicability, Fix};
use crate::document::{Flavour, ReportAt};
use crate::fix::select_fixes;
use crate::lang::Lang;
use crate::profile::{self, Profile};
use crate::rules::explain::explain_at;
use crate::text::TextRange;
use crate::{tr, Options};

use super::convert::{self, Encoding};
use super::doc::{Doc, Snapshot};

pub const INSERT_SKELETON: &str = "reportlint.insertSkeleton";
pub const FIX_ALL_KIND: &str = "source.fixAll.reportlint";

#[derive(Clone, Default)]
pub struct Config {
    pub lang: Lang,
    pub profile: Option<Arc<Profile>>,
    /// Rule levels and tolerance from `reportlint.toml`.
    pub rules: Vec<(&'static str, crate::config::Level)>,
    pub percent_tolerance: Option<crate::document::Decimal>,
    pub body: Option<crate::document::agency::Body>,
    pub deadline: Option<(u8, u8)>,
    /// Publish diagnostics (the default), or only answer `textDocument/diagnostic`.
    pub push: bool,
}

#[derive(Default)]
pub struct State {
    pub docs: HashMap<lsp::Url, Doc>,
    /// What is in force: the editor's settings over the configuration file's over defaults.
    pub config: Config,
    /// The language of the client's locale, for when the setting is cleared.
    pub locale_lang: Lang,
    editor_lang: Option<Lang>,
    editor_profile: Option<Arc<Profile>>,
    /// The workspace's `reportlint.toml`.
    file: Option<Arc<crate::workspace::Settings>>,
    /// Reports on disk beside open documents, for last year's report.
    pub siblings: Arc<Mutex<crate::workspace::Siblings>>,
    pub encoding: Encoding,
    pub root: Option<PathBuf>,
    pub shutdown: bool,
    /// A configuration problem to show once the client is ready.
    pending_message: Option<String>,
    /// The client can watch files for us.
    watch_files: bool,
    /// Documents were closed: once the background task is idle, the memory freed is returned.
    pub closed: bool,
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
}

/// What finds last year's report for the document `uri`.
fn finder(state: &Arc<Mutex<State>>, st: &State, uri: &lsp::Url) -> super::previous::Finder {
    super::previous::Finder {
        state: state.clone(),
        siblings: st.siblings.clone(),
        uri: uri.clone(),
    }
}

impl State {
    /// Marks for a new analysis the documents whose last analysis used `uri` as last year's
    /// report, and those it is last year's report of (now that it is parsed, or changed).
    pub fn invalidate_users_of(&mut self, uri: &lsp::Url) {
        let reports = self.docs.get(uri).and_then(|d| d.snapshot.clone());
        for (u, doc) in self.docs.iter_mut() {
            let Some(s) = doc.snapshot.as_ref().filter(|_| u != uri) else {
                continue;
            };
            let pairs = || {
                reports.as_ref().is_some_and(|x| {
                    s.analysis.document.reports.iter().any(|r| {
                        x.analysis
                            .document
                            .reports
                            .iter()
                            .any(|last| crate::rules::is_last_year(r, last))
                    })
                })
            };
            if s.previous.contains(uri) || pairs() {
                doc.invalidate();
            }
        }
    }

    /// Works out the settings in force and marks every document for a new analysis.
    fn recompute(&mut self) {
        let file = self.file.as_ref().map(|f| &f.config);
        self.config.lang = self
            .editor_lang
            .or(file.and_then(|f| f.lang))
            .unwrap_or(self.locale_lang);
        self.config.profile = self
            .editor_profile
            .clone()
            .or_else(|| self.file.as_ref().and_then(|f| f.profile.clone()));
        self.config.rules = file.map(|f| f.rules.clone()).unwrap_or_default();
        self.config.percent_tolerance = file.and_then(|f| f.percent_tolerance);
        self.config.body = file.and_then(|f| f.body);
        self.config.deadline = file.and_then(|f| f.deadline);
        for doc in self.docs.values_mut() {
            doc.invalidate();
        }
    }
}

/// Locks the state; a panic elsewhere must not wedge the server, so poisoning is ignored.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Backend {
    pub fn new(client: Client, state: Arc<Mutex<State>>) -> Backend {
        let wake = Arc::new(Notify::new());
        tokio::spawn(analysis_loop(client.clone(), state.clone(), wake.clone()));
        Backend {
            client,
            state,
            wake,
        }
    }

    /// `reportlint/stats`: the analysed version of a document and how many parsed blocks its
    /// last analysis reused (for tests and benchmarks).
    pub async fn stats(&self, params: lsp::TextDocumentIdentifier) -> Result<Value> {
        let snap = self.snapshot(&params.uri)?;
        Ok(serde_json::json!({
            "version": snap.version,
            "reused": snap.reuse.reused,
            "parsed": snap.reuse.parsed,
            "reports": snap.analysis.document.reports.len(),
            "reports_reused": snap.reports_reused,
            "text_edited": snap.text_edited,
            "diagnostics": snap.diagnostics.len(),
        }))
    }

    async fn log(&self, kind: lsp::MessageType, message: String) {
        self.client.log_message(kind, message).await;
    }

    /// The analysis of the document's current version, computed now if the background task
    /// has not got to it.
    fn snapshot(&self, uri: &lsp::Url) -> Result<Arc<Snapshot>> {
        let (job, on_the_side, opts, encoding, finder) = {
            let mut st = lock(&self.state);
            let config = st.config.clone();
            let encoding = st.encoding;
            let finder = finder(&self.state, &st, uri);
            let Some(doc) = st.docs.get_mut(uri) else {
                return Err(Error::invalid_params(format!("document not open: {uri}")));
            };
            if let Some(s) = doc.current() {
                return Ok(s);
            }
            if doc.in_flight {
                // The background task holds the blocks: analyse this version on the side.
                let fresh = Doc::open(&super::doc::rope_text(&doc.rope), doc.version, doc.flavour)
                    .take_job();
                (fresh, true, options(&config), encoding, finder)
            } else {
                (doc.take_job(), false, options(&config), encoding, finder)
            }
        };
        // Without the lock: finding last year's report looks at the other documents.
        let opening = job.opening;
        let result = run_guarded(|| job.run(&opts, encoding, uri, &|d| finder.find(d)));
        if on_the_side {
            return result.map(|(_, s)| Arc::new(s));
        }
        let mut st = lock(&self.state);
        let push = st.config.push;
        match (st.docs.get_mut(uri), result) {
            (Some(doc), Ok((blocks, snap))) => {
                let snap = Arc::new(snap);
                if doc.finish(opening, blocks, snap.clone()) && push {
                    // The background task publishes what this request analysed.
                    doc.unpublished = true;
                    self.wake.notify_one();
                }
                Ok(snap)
            }
            (Some(doc), Err(e)) => {
                doc.abandon(opening);
                Err(e)
            }
            (None, result) => result.map(|(_, s)| Arc::new(s)),
        }
    }

    /// Takes the editor's settings (initializationOptions or didChangeConfiguration).
    fn apply_config(&self, settings: &Value) -> Option<String> {
        let mut st = lock(&self.state);
        let root = st.root.clone();
        let mut problem = None;
        let section = settings.get("reportlint").unwrap_or(settings);
        match section.get("lang") {
            Some(Value::String(tag)) if !tag.trim().is_empty() => {
                if let Some(l) = Lang::from_tag(tag) {
                    st.editor_lang = Some(l);
                }
            }
            // Cleared: the configuration file's, else the client's locale.
            Some(Value::String(_) | Value::Null) => st.editor_lang = None,
            _ => {}
        }
        match section.get("profile") {
            Some(Value::String(p)) if !p.trim().is_empty() => {
                match crate::workspace::resolve_profile(p, root.as_deref(), st.config.lang) {
                    Ok(p) => st.editor_profile = Some(p),
                    Err(e) => problem = Some(format!("reportlint: {e}")),
                }
            }
            Some(Value::String(_) | Value::Null) => st.editor_profile = None,
            _ => {}
        }
        if let Some(mode) = section.get("diagnosticMode").and_then(Value::as_str) {
            st.config.push = mode != "pull";
        }
        st.recompute();
        drop(st);
        self.wake.notify_one();
        problem
    }

    /// Reads `reportlint.toml` of the workspace again; a broken file is shown, and the last
    /// good settings stay in force.
    async fn reload_settings(&self) {
        let problem = {
            let mut st = lock(&self.state);
            let lang = st.config.lang;
            let found = st.root.as_deref().and_then(crate::workspace::find_config);
            let problem = match found.map(|p| crate::workspace::load_settings(&p, lang)) {
                None => {
                    st.file = None;
                    None
                }
                Some(Ok(s)) => {
                    st.file = Some(Arc::new(s));
                    None
                }
                Some(Err(e)) => Some(e),
            };
            st.recompute();
            problem
        };
        self.wake.notify_one();
        if let Some(p) = problem {
            self.client
                .show_message(lsp::MessageType::ERROR, format!("reportlint: {p}"))
                .await;
        }
    }
}

fn options(config: &Config) -> Options {
    Options {
        lang: config.lang,
        flavour: Flavour::Plain,
        profile: config.profile.clone(),
        default_year: Some(crate::cli::default_year()),
        rules: config.rules.clone(),
        percent_tolerance: config.percent_tolerance,
        previous: Vec::new(),
        body: config.body,
        deadline: config.deadline,
    }
}

/// Runs analysis work, turning a panic into an internal error instead of a dead server.
fn run_guarded<T>(f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| Error {
        code: ErrorCode::InternalError,
        message: "reportlint: analysis failed (this is a bug; please report the document)".into(),
        data: None,
    })
}

fn flavour_of(uri: &lsp::Url, language_id: &str) -> Flavour {
    if language_id == "markdown" {
        return Flavour::Markdown;
    }
    Flavour::from_path(uri.path())
}

/// The thread that runs every background analysis: one thread keeps the work on one core's
/// caches and in one allocator arena (spreading it over tokio's blocking pool cost time and
/// memory).
struct Worker {
    jobs: std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>,
}

impl Worker {
    fn start() -> Option<Worker> {
        let (jobs, queue) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        std::thread::Builder::new()
            .name("reportlint-analysis".into())
            .spawn(move || {
                for job in queue {
                    job();
                }
            })
            .ok()?;
        Some(Worker { jobs })
    }

    /// Runs `f` on the worker; `None` if it panicked (or the worker is gone).
    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job = Box::new(move || {
            let _ = done.send(catch_unwind(AssertUnwindSafe(f)));
        });
        self.jobs.send(job).ok()?;
        result.await.ok()?.ok()
    }
}

/// Analyses changed documents in the background, newest version first, and publishes.
async fn analysis_loop(client: Client, state: Arc<Mutex<State>>, wake: Arc<Notify>) {
    let worker = Worker::start();
    loop {
        wake.notified().await;
        loop {
            // Versions a request analysed, to publish.
            let ready: Vec<(lsp::Url, Arc<Snapshot>)> = {
                let mut st = lock(&state);
                st.docs
                    .iter_mut()
                    .filter(|(_, d)| d.unpublished)
                    .filter_map(|(uri, d)| {
                        d.unpublished = false;
                        Some((uri.clone(), d.current()?))
                    })
                    .collect()
            };
            for (uri, snap) in ready {
                client
                    .publish_diagnostics(uri, snap.diagnostics.clone(), Some(snap.version))
                    .await;
            }
            let next = {
                let mut st = lock(&state);
                let config = st.config.clone();
                let encoding = st.encoding;
                st.docs
                    .iter_mut()
                    .find(|(_, d)| d.dirty && !d.in_flight)
                    .map(|(uri, d)| (uri.clone(), d.take_job(), config, encoding))
            };
            let Some((uri, job, config, encoding)) = next else {
                // Idle: what closed documents held (and their analyses, now ended) is free.
                if std::mem::take(&mut lock(&state).closed) {
                    crate::memory::release_freed();
                }
                break;
            };
            let version = job.version;
            let opening = job.opening;
            let task_uri = uri.clone();
            let opts = options(&config);
            let finder = {
                let st = lock(&state);
                finder(&state, &st, &uri)
            };
            let analyse = move || job.run(&opts, encoding, &task_uri, &|d| finder.find(d));
            let result = match &worker {
                Some(w) => w.run(analyse).await,
                None => tokio::task::spawn_blocking(analyse).await.ok(),
            };
            let publish = {
                let mut st = lock(&state);
                let publish = match (st.docs.get_mut(&uri), result) {
                    (Some(doc), Some((blocks, snap))) => {
                        let snap = Arc::new(snap);
                        let stored = doc.finish(opening, blocks, snap.clone());
                        let current = stored && doc.version == version && !doc.dirty;
                        if current {
                            doc.unpublished = false;
                        }
                        (current && config.push).then(|| snap.diagnostics.clone())
                    }
                    (Some(doc), None) => {
                        doc.abandon(opening);
                        None
                    }
                    (None, _) => None,
                };
                // Documents that took this one as last year's report are checked again.
                st.invalidate_users_of(&uri);
                publish
            };
            if let Some(diagnostics) = publish {
                client
                    .publish_diagnostics(uri, diagnostics, Some(version))
                    .await;
            }
        }
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or_else(|| {
                #[allow(deprecated)]
                params.root_uri.clone()
            })
            .and_then(|u| u.to_file_path().ok());
        {
            let mut st = lock(&self.state);
            st.encoding = encoding;
            st.root = root;
            st.config.push = true;
            st.locale_lang = params
                .locale
                .as_deref()
                .and_then(Lang::from_tag)
                .unwrap_or_default();
            st.config.lang = st.locale_lang;
        }
        if let Some(opts) = &params.initialization_options {
            if let Some(problem) = self.apply_config(opts) {
                lock(&self.state).pending_message = Some(problem);
            }
        }
        let code_action_kinds = vec![
            lsp::CodeActionKind::QUICKFIX,
            lsp::CodeActionKind::SOURCE,
            lsp::CodeActionKind::new(FIX_ALL_KIND),
        ];
        Ok(lsp::InitializeResult {
            server_info: Some(lsp::ServerInfo {
                name: "reportlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(code_action_kinds),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                completion_provider: Some(lsp::CompletionOptions::default()),
                execute_command_provider: Some(lsp::ExecuteCommandOptions {
                    commands: vec![INSERT_SKELETON.to_string()],
                    ..Default::default()
                }),
                diagnostic_provider: (!lock(&self.state).config.push).then(|| {
                    lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                        identifier: Some("reportlint".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..Default::default()
                    })
                }),
                ..Default::default()
            },
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        self.reload_settings().await;
        let watch = lock(&self.state).watch_files;
        if watch {
            let options = lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(format!(
                        "**/{}",
                        crate::config::FILE_NAME
                    )),
                    kind: None,
                }],
            };
            let registration = lsp::Registration {
                id: "reportlint-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log(
                    lsp::MessageType::WARNING,
                    format!("reportlint: cannot watch reportlint.toml: {e}"),
                )
                .await;
            }
        }
        let message = lock(&self.state).pending_message.take();
        if let Some(m) = message {
            self.client.show_message(lsp::MessageType::ERROR, m).await;
        }
        self.log(
            lsp::MessageType::INFO,
            format!("reportlint {} ready", env!("CARGO_PKG_VERSION")),
        )
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        lock(&self.state).shutdown = true;
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let d = params.text_document;
        let flavour = flavour_of(&d.uri, &d.language_id);
        let mut doc = Doc::open(&d.text, d.version, flavour);
        doc.canonical = d
            .uri
            .to_file_path()
            .ok()
            .and_then(|p| std::fs::canonicalize(p).ok());
        lock(&self.state).docs.insert(d.uri, doc);
        self.wake.notify_one();
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let known = {
            let mut st = lock(&self.state);
            let encoding = st.encoding;
            match st.docs.get_mut(&uri) {
                Some(doc) => {
                    for change in &params.content_changes {
                        doc.apply(change, encoding);
                    }
                    doc.version = params.text_document.version;
                    true
                }
                None => false,
            }
        };
        if known {
            self.wake.notify_one();
        } else {
            self.log(
                lsp::MessageType::WARNING,
                format!("reportlint: change to a document that is not open: {uri}"),
            )
            .await;
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (removed, push) = {
            let mut st = lock(&self.state);
            let removed = st.docs.remove(&uri).is_some();
            st.closed |= removed;
            st.invalidate_users_of(&uri);
            if st.docs.is_empty() {
                st.docs.shrink_to_fit();
            }
            (removed, st.config.push)
        };
        if removed && push {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        self.wake.notify_one();
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| c.uri.path().ends_with(crate::config::FILE_NAME))
        {
            self.reload_settings().await;
        }
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        if params
            .text_document
            .uri
            .path()
            .ends_with(crate::config::FILE_NAME)
        {
            self.reload_settings().await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        if let Some(problem) = self.apply_config(&params.settings) {
            self.client
                .show_message(lsp::MessageType::ERROR, problem)
                .await;
        }
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        let snap = self.snapshot(&params.text_document.uri)?;
        Ok(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: Some(snap.version.to_string()),
                    items: snap.diagnostics.clone(),
                },
            }),
        ))
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snap = self.snapshot(&uri)?;
        let lang = lock(&self.state).config.lang;
        let pos = snap.positions();
        let range = crate::text::TextRange::new(
            pos.offset(params.range.start),
            pos.offset(params.range.end)
                .max(pos.offset(params.range.start)),
        );
        let wants = |kind: &str| {
            params
                .context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|k| kind.starts_with(k.as_str())))
        };
        let mut actions = Vec::new();
        if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
            let flavour = lock(&self.state)
                .docs
                .get(&uri)
                .map_or(Flavour::Plain, |d| d.flavour);
            let mut ignores = Vec::new();
            for d in snap
                .analysis
                .diagnostics
                .iter()
                .filter(|d| d.range.touches(range))
            {
                if let Some(fix) = &d.fix {
                    actions.push(lsp::CodeActionOrCommand::CodeAction(convert::fix_action(
                        d, fix, &pos, &uri,
                    )));
                }
                if d.code == crate::rules::UNUSED_SUPPRESSION {
                    continue;
                }
                // "Ignore this finding here": a suppression comment, after the fixes.
                let code = d.code;
                let edits = crate::suppress::ignore_edits(&snap.text, code, d.range.start, flavour);
                let edits: Vec<lsp::TextEdit> = edits.iter().map(|e| pos.text_edit(e)).collect();
                ignores.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: tr!(lang, "在此处忽略 {code}", "Ignore {code} here"),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![convert::diagnostic(d, &pos, &uri)]),
                    edit: Some(convert::workspace_edit(&uri, edits)),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
            actions.extend(ignores);
        }
        let explicitly = |kind: &str| {
            params
                .context
                .only
                .as_ref()
                .is_some_and(|only| only.iter().any(|k| kind.starts_with(k.as_str())))
        };
        let safe: Vec<&Fix> = snap
            .analysis
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .collect();
        if !safe.is_empty() && (explicitly(FIX_ALL_KIND) || params.context.only.is_none()) {
            let (edits, _) = select_fixes(&snap.text, safe);
            let edits: Vec<lsp::TextEdit> = edits.into_iter().map(|e| pos.text_edit(e)).collect();
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: tr!(
                    lang,
                    "reportlint：修复所有可安全修复的问题",
                    "reportlint: fix all safely fixable problems"
                ),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
                edit: Some(convert::workspace_edit(&uri, edits)),
                ..Default::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command != INSERT_SKELETON {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|a| a.as_str().or_else(|| a.get("uri").and_then(Value::as_str)))
            .and_then(|s| lsp::Url::parse(s).ok())
            .ok_or_else(|| {
                Error::invalid_params("expected the document URI as the first argument")
            })?;
        let snap = self.snapshot(&uri)?;
        let lang = lock(&self.state).config.lang;
        // The inserting fixes: the whole skeleton for an empty report, else the missing parts.
        let fixes: Vec<&Fix> = snap
            .analysis
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code, "S001" | "S004" | "T001"))
            .filter_map(|d| d.fix.as_ref())
            .collect();
        if fixes.is_empty() {
            let m = tr!(
                lang,
                "reportlint：报告已包含全部部分和表格",
                "reportlint: the report already has every section and table"
            );
            self.client.show_message(lsp::MessageType::INFO, m).await;
            return Ok(None);
        }
        let (edits, _) = select_fixes(&snap.text, fixes);
        let pos = snap.positions();
        let edits: Vec<lsp::TextEdit> = edits.into_iter().map(|e| pos.text_edit(e)).collect();
        let response = self
            .client
            .apply_edit(convert::workspace_edit(&uri, edits))
            .await;
        if let Err(e) = response {
            self.log(
                lsp::MessageType::ERROR,
                format!("reportlint: applyEdit failed: {e}"),
            )
            .await;
        }
        Ok(None)
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let p = params.text_document_position_params;
        let snap = self.snapshot(&p.text_document.uri)?;
        let lang = lock(&self.state).config.lang;
        let pos = snap.positions();
        let offset = pos.offset(p.position);
        let explained =
            run_guarded(|| explain_at(&snap.text, &snap.analysis.document, offset, lang))?;
        Ok(explained.map(|e| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: e.markdown,
            }),
            range: Some(pos.range(e.range)),
        }))
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let snap = self.snapshot(&params.text_document.uri)?;
        let pos = snap.positions();
        let reports = &snap.analysis.document.reports;
        let mut symbols: Vec<lsp::DocumentSymbol> = Vec::new();
        for (i, report) in reports.iter().enumerate() {
            let children = report_symbols(&snap.text, report, &pos);
            let at = |r: TextRange| pos.range(report.abs(r));
            if reports.len() == 1 {
                if let Some(t) = &report.title {
                    symbols.push(symbol(
                        snap.text[report.abs(t.range).as_range()]
                            .trim_start_matches('#')
                            .trim()
                            .to_string(),
                        lsp::SymbolKind::FILE,
                        at(t.range),
                        at(t.range),
                        None,
                    ));
                }
                symbols.extend(children);
            } else {
                let name = report
                    .title
                    .as_ref()
                    .map_or_else(|| format!("{}", i + 1), |t| t.text.clone());
                let sel = report.title.as_ref().map_or(report.range, |t| t.range);
                symbols.push(symbol(
                    name,
                    lsp::SymbolKind::NAMESPACE,
                    at(report.range),
                    at(sel),
                    Some(children),
                ));
            }
        }
        Ok(Some(lsp::DocumentSymbolResponse::Nested(symbols)))
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let snap = self.snapshot(&uri)?;
        let profile = snap
            .analysis
            .document
            .reports
            .first()
            .map_or_else(|| profile::builtins()[0].clone(), |r| r.profile.clone());
        let mut items = Vec::new();
        for (i, s) in profile.sections.iter().enumerate() {
            let label = format!(
                "{}、{}",
                crate::document::normalize::chinese_numeral(i as u32 + 1),
                s.title
            );
            items.push(lsp::CompletionItem {
                label,
                kind: Some(lsp::CompletionItemKind::KEYWORD),
                detail: Some("reportlint".into()),
                ..Default::default()
            });
        }
        for t in &profile.tables {
            for (label, _) in t.label_texts() {
                if items.iter().any(|i: &lsp::CompletionItem| i.label == label) {
                    continue;
                }
                items.push(lsp::CompletionItem {
                    label: label.to_string(),
                    kind: Some(lsp::CompletionItemKind::VALUE),
                    detail: Some(t.name.clone()),
                    ..Default::default()
                });
            }
        }
        Ok(Some(lsp::CompletionResponse::Array(items)))
    }
}

#[allow(deprecated)]
fn symbol(
    name: String,
    kind: lsp::SymbolKind,
    range: lsp::Range,
    selection_range: lsp::Range,
    children: Option<Vec<lsp::DocumentSymbol>>,
) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: if name.is_empty() { "?".into() } else { name },
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children,
    }
}

/// Sections, with the tables they hold.
fn report_symbols(
    text: &str,
    report: &ReportAt,
    pos: &convert::Positions,
) -> Vec<lsp::DocumentSymbol> {
    // The report's positions count from its start.
    let at = |r: TextRange| pos.range(report.abs(r));
    let mut out: Vec<lsp::DocumentSymbol> = Vec::new();
    for (i, s) in report.sections.iter().enumerate() {
        let name = text[report.abs(s.heading).as_range()]
            .trim_start_matches('#')
            .trim()
            .to_string();
        let tables: Vec<lsp::DocumentSymbol> = report
            .tables
            .iter()
            .filter(|t| t.section == Some(i))
            .map(|t| {
                let name = report.profile.tables[t.spec].name.clone();
                symbol(
                    name,
                    lsp::SymbolKind::STRUCT,
                    at(t.range),
                    at(t.range),
                    None,
                )
            })
            .collect();
        let range = s.heading.cover(s.body);
        out.push(symbol(
            name,
            lsp::SymbolKind::MODULE,
            at(range),
            at(s.heading),
            (!tables.is_empty()).then_some(tables),
        ));
    }
    // Tables before any section.
    for t in report.tables.iter().filter(|t| t.section.is_none()) {
        let name = report.profile.tables[t.spec].name.clone();
        out.push(symbol(
            name,
            lsp::SymbolKind::STRUCT,
            at(t.range),
            at(t.range),
            None,
        ));
    }
    out
}
