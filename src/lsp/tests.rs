//! Protocol tests: the server in-process over a duplex pipe, spoken to in framed JSON-RPC.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};
use tokio::task::JoinHandle;

use crate::diagnostic::Severity;
use crate::document::Flavour;
use crate::{analyze, Options};

/// A text that makes analysis panic in test builds.
pub const PANIC_MARK: &str = "\u{2063}reportlint-test-panic\u{2063}";

const TIMEOUT: Duration = Duration::from_secs(20);

struct TestClient {
    write: WriteHalf<DuplexStream>,
    read: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications and server requests not consumed yet.
    queue: VecDeque<Value>,
    /// Edits the server asked the client to apply.
    applied: Vec<Value>,
    server: Option<JoinHandle<ExitCode>>,
}

fn seed(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seeds");
    let path = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap();
    std::fs::read_to_string(path).unwrap()
}

impl TestClient {
    fn start() -> TestClient {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server);
        let handle = tokio::spawn(super::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client);
        TestClient {
            write,
            read: BufReader::new(read),
            next_id: 1,
            queue: VecDeque::new(),
            applied: Vec::new(),
            server: Some(handle),
        }
    }

    async fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.write.write_all(frame.as_bytes()).await.unwrap();
        self.write.flush().await.unwrap();
    }

    async fn send_raw(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
        self.write.flush().await.unwrap();
    }

    async fn recv(&mut self) -> Value {
        tokio::time::timeout(TIMEOUT, async {
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                let n = self.read.read_line(&mut line).await.unwrap();
                assert!(n > 0, "server closed the stream");
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    len = v.parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            self.read.read_exact(&mut body).await.unwrap();
            serde_json::from_slice::<Value>(&body).unwrap()
        })
        .await
        .expect("no message from the server in time")
    }

    /// Reads one message; answers the server's own requests on the way.
    async fn recv_handled(&mut self) -> Value {
        let msg = self.recv().await;
        if msg.get("method").is_some() && msg.get("id").is_some() {
            let result = match msg["method"].as_str() {
                Some("workspace/applyEdit") => {
                    self.applied.push(msg["params"]["edit"].clone());
                    json!({ "applied": true })
                }
                _ => Value::Null,
            };
            self.send(json!({ "jsonrpc": "2.0", "id": msg["id"], "result": result }))
                .await;
        }
        msg
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(msg).await;
        loop {
            let msg = self.recv_handled().await;
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(msg).await;
    }

    /// The next notification with this method (earlier ones of other methods stay queued).
    async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.queue.iter().position(|m| m["method"] == method) {
            return self.queue.remove(i).unwrap();
        }
        loop {
            let msg = self.recv_handled().await;
            if msg["method"] == method {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    /// The diagnostics published for `uri` at `version` (older publications are skipped).
    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let msg = self.notification("textDocument/publishDiagnostics").await;
            if msg["params"]["uri"] == uri && msg["params"]["version"] == version {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    async fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let res = self
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        res
    }

    async fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    async fn code_actions(&mut self, uri: &str, range: Value, only: Option<&str>) -> Vec<Value> {
        let mut context = json!({ "diagnostics": [] });
        if let Some(k) = only {
            context["only"] = json!([k]);
        }
        let res = self
            .request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
            )
            .await;
        res["result"].as_array().cloned().unwrap_or_default()
    }

    async fn shutdown_and_exit(mut self) -> ExitCode {
        let res = self.request("shutdown", Value::Null).await;
        assert!(res.get("error").is_none(), "{res}");
        self.notify("exit", Value::Null).await;
        let handle = self.server.take().unwrap();
        tokio::time::timeout(TIMEOUT, handle)
            .await
            .expect("server did not stop on exit")
            .unwrap()
    }
}

/// Positions counted independently of the server's code: (line, UTF-16 or UTF-8 column) → byte.
fn offset_of(text: &str, line: u64, col: u64, utf8: bool) -> usize {
    let mut start = 0;
    let mut current = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while current < line && i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 2;
            current += 1;
            start = i;
            continue;
        }
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            current += 1;
            start = i + 1;
        }
        i += 1;
    }
    if current < line {
        return text.len();
    }
    let mut units = 0u64;
    for (j, c) in text[start..].char_indices() {
        if units >= col || c == '\n' || c == '\r' {
            return start + j;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() } as u64;
    }
    text.len()
}

fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let s = offset_of(
                text,
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                utf8,
            );
            let t = offset_of(
                text,
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
                utf8,
            );
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut pos = 0;
    for (s, t, new) in spans {
        assert!(s >= pos, "overlapping edits");
        out.push_str(&text[pos..s]);
        out.push_str(&new);
        pos = t;
    }
    out.push_str(&text[pos..]);
    out
}

fn workspace_edits<'a>(edit: &'a Value, uri: &str) -> &'a [Value] {
    edit["changes"][uri].as_array().map_or(&[], Vec::as_slice)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn range(l1: u64, c1: u64, l2: u64, c2: u64) -> Value {
    json!({ "start": { "line": l1, "character": c1 }, "end": { "line": l2, "character": c2 } })
}

fn findings(text: &str, flavour: Flavour) -> Vec<(String, Severity)> {
    let a = analyze(
        text,
        &Options {
            flavour,
            ..Options::default()
        },
    );
    a.diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.severity))
        .collect()
}

#[tokio::test]
async fn initialize_negotiates_the_position_encoding() {
    let mut c = TestClient::start();
    let res = c.initialize(json!({}), Value::Null).await;
    let caps = &res["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(
        kinds.contains("quickfix") && kinds.contains("source.fixAll.reportlint"),
        "{kinds}"
    );
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["executeCommandProvider"]["commands"][0],
        "reportlint.insertSkeleton"
    );
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);

    let mut c = TestClient::start();
    let res = c
        .initialize(
            json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
            Value::Null,
        )
        .await;
    assert_eq!(res["result"]["capabilities"]["positionEncoding"], "utf-8");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn requests_before_initialize_get_an_error() {
    let mut c = TestClient::start();
    let res = c
        .request("textDocument/hover", json!({ "textDocument": { "uri": "file:///a.txt" }, "position": { "line": 0, "character": 0 } }))
        .await;
    assert_eq!(res["error"]["code"], -32002, "{res}");
    c.initialize(json!({}), Value::Null).await;
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

#[tokio::test]
async fn exit_without_shutdown_stops_with_code_1() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    c.notify("exit", Value::Null).await;
    let handle = c.server.take().unwrap();
    let code = tokio::time::timeout(TIMEOUT, handle)
        .await
        .expect("server did not stop")
        .unwrap();
    assert_eq!(code, ExitCode::from(1));
}

#[tokio::test]
async fn open_change_close_publishes_versioned_diagnostics() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/seed000.txt";
    let text = seed("000");
    c.open(uri, "plaintext", &text).await;
    let diags = c.diagnostics(uri, 1).await;
    let p003 = diags.iter().find(|d| d["code"] == "P003").expect("P003");
    // The wrong 9.8 on line 9 (0-based 8): its UTF-16 column counted independently.
    let line = text.lines().nth(8).unwrap();
    let col = line[..line.find("9.8%").unwrap()].encode_utf16().count();
    assert_eq!(
        p003["range"]["start"],
        json!({ "line": 8, "character": col })
    );
    assert_eq!(p003["severity"], 1);
    assert_eq!(p003["source"], "reportlint");

    // Fix the percentage by an incremental edit.
    c.change(
        uri,
        2,
        json!([{ "range": range(8, col as u64, 8, col as u64 + 3), "text": "8.8" }]),
    )
    .await;
    let diags = c.diagnostics(uri, 2).await;
    assert!(
        !codes(&diags).contains(&"P003".to_string()),
        "{:?}",
        codes(&diags)
    );
    assert!(
        !codes(&diags).contains(&"P010".to_string()),
        "{:?}",
        codes(&diags)
    );

    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    )
    .await;
    let closed = c.notification("textDocument/publishDiagnostics").await;
    assert_eq!(closed["params"]["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn every_seed_gets_the_findings_of_the_cli() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    for name in ["000", "001", "002", "003", "004"] {
        let text = seed(name);
        let uri = format!("file:///tmp/{name}.txt");
        c.open(&uri, "plaintext", &text).await;
        let diags = c.diagnostics(&uri, 1).await;
        let cli = analyze(&text, &Options::default());
        let want: Vec<(String, u32)> = cli
            .diagnostics
            .iter()
            .map(|d| {
                let lc = crate::line_index::LineIndex::new(&text).line_col(
                    &text,
                    d.range.start,
                    crate::line_index::ColumnUnit::Utf16,
                );
                (d.code.to_string(), lc.line)
            })
            .collect();
        let got: Vec<(String, u32)> = diags
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap() as u32,
                )
            })
            .collect();
        assert_eq!(got, want, "seed {name}");
    }
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn pull_diagnostics_are_answered() {
    let mut c = TestClient::start();
    c.initialize(json!({}), json!({ "diagnosticMode": "pull" }))
        .await;
    let uri = "file:///tmp/pull.txt";
    c.open(uri, "plaintext", &seed("000")).await;
    let res = c
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert_eq!(res["result"]["kind"], "full");
    assert!(codes(res["result"]["items"].as_array().unwrap()).contains(&"P003".to_string()));
    c.shutdown_and_exit().await;
}

/// Opens `text`, takes the code action titled like `title` at the finding `code`, applies it,
/// and returns the new text.
async fn apply_action(
    c: &mut TestClient,
    uri: &str,
    language: &str,
    text: &str,
    code: &str,
    only: Option<&str>,
) -> (String, Value) {
    c.open(uri, language, text).await;
    let diags = c.diagnostics(uri, 1).await;
    let target = diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(&diags)));
    let actions = c.code_actions(uri, target["range"].clone(), only).await;
    let action = actions
        .iter()
        .find(|a| {
            only.is_some()
                || a["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == code))
        })
        .unwrap_or_else(|| panic!("no action for {code}: {actions:?}"))
        .clone();
    let new = apply_edits(text, workspace_edits(&action["edit"], uri), false);
    (new, action)
}

#[tokio::test]
async fn code_actions_fix_what_they_say() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let clean_txt = crate::rules::test_support::clean_report(Flavour::Plain);

    // A whole skeleton into an empty Markdown document.
    let (new, _) = apply_action(&mut c, "file:///tmp/empty.md", "markdown", "", "S004", None).await;
    let left = findings(&new, Flavour::Markdown);
    assert!(left.iter().all(|(_, s)| *s == Severity::Hint), "{left:?}");
    // The year comes from the clock: keep the snapshot independent of it.
    let year = crate::cli::default_year().to_string();
    insta::assert_snapshot!("skeleton_into_empty_markdown", new.replace(&year, "YYYY"));

    // A missing section in plain text, inserted in the plain shape at its place.
    let start = clean_txt.find("四、政府信息公开行政复议").unwrap();
    let end = clean_txt.find("五、存在的主要问题").unwrap();
    let missing = format!("{}{}", &clean_txt[..start], &clean_txt[end..]);
    let (new, _) = apply_action(
        &mut c,
        "file:///tmp/missing.txt",
        "plaintext",
        &missing,
        "S004",
        None,
    )
    .await;
    assert_eq!(findings(&new, Flavour::Plain), vec![]);
    assert!(
        new.contains("四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\t"),
        "{new}"
    );

    // A missing table.
    let table_start = clean_txt.find("行政复议\t\t\t\t\t行政诉讼").unwrap();
    let table_end = clean_txt.find("五、存在的主要问题").unwrap();
    let no_table = format!("{}{}", &clean_txt[..table_start], &clean_txt[table_end..]);
    let (new, _) = apply_action(
        &mut c,
        "file:///tmp/notable.txt",
        "plaintext",
        &no_table,
        "T001",
        None,
    )
    .await;
    assert_eq!(findings(&new, Flavour::Plain), vec![]);

    // A malformed row: the table is rewritten, keeping its numbers.
    let short = crate::rules::test_support::set_row(&clean_txt, "2.重复申请", "0 0 0 0 0 0");
    let (new, _) = apply_action(
        &mut c,
        "file:///tmp/short.txt",
        "plaintext",
        &short,
        "T004",
        None,
    )
    .await;
    assert_eq!(findings(&new, Flavour::Plain), vec![]);

    // A wrong total is set to the sum (unsafe, so not preferred).
    let wrong = crate::rules::test_support::set_row(&clean_txt, "2.重复申请", "5 0 0 0 0 0 4");
    let (new, action) = apply_action(
        &mut c,
        "file:///tmp/total.txt",
        "plaintext",
        &wrong,
        "L001",
        None,
    )
    .await;
    assert_eq!(action["isPreferred"], false);
    assert!(!findings(&new, Flavour::Plain)
        .iter()
        .any(|(c, _)| c == "L001"));

    // A wrong percentage.
    let pct = clean_txt.replace(
        "（在此填写本年度依申请公开工作情况。）",
        "答复申请8件，其中予以公开1件，占12.0%，不予处理7件，占87.5%。",
    );
    let (new, action) = apply_action(
        &mut c,
        "file:///tmp/pct.txt",
        "plaintext",
        &pct,
        "P003",
        None,
    )
    .await;
    assert_eq!(action["isPreferred"], true);
    assert!(new.contains("予以公开1件，占12.5%"), "{new}");
    assert!(!findings(&new, Flavour::Plain)
        .iter()
        .any(|(c, _)| c == "P003"));

    // A reworded section title, renamed (safe, preferred).
    let variant = clean_txt.replace(
        "五、存在的主要问题及改进情况",
        "五、当前存在的主要问题及下步改进措施",
    );
    let (new, action) = apply_action(
        &mut c,
        "file:///tmp/title.txt",
        "plaintext",
        &variant,
        "S007",
        None,
    )
    .await;
    assert_eq!(action["isPreferred"], true);
    assert_eq!(new, clean_txt);

    // Fix all: every safe fix at once.
    let messy = clean_txt
        .replace(
            "五、存在的主要问题及改进情况",
            "五、当前存在的主要问题及下步改进措施",
        )
        .replace("规章\t0\t0\t0", "规章\t/\t-\t无");
    let (new, _) = apply_action(
        &mut c,
        "file:///tmp/all.txt",
        "plaintext",
        &messy,
        "S007",
        Some("source.fixAll.reportlint"),
    )
    .await;
    assert_eq!(new, clean_txt);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn insert_skeleton_command_fills_an_empty_buffer() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/new.txt";
    c.open(uri, "plaintext", "").await;
    let res = c
        .request(
            "workspace/executeCommand",
            json!({ "command": "reportlint.insertSkeleton", "arguments": [uri] }),
        )
        .await;
    assert!(res.get("error").is_none(), "{res}");
    let edit = c.applied.pop().expect("the server asked to apply an edit");
    let text = apply_edits("", workspace_edits(&edit, uri), false);
    let left = findings(&text, Flavour::Plain);
    assert!(left.iter().all(|(_, s)| *s == Severity::Hint), "{left:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn hover_explains_totals_and_percentages() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/hover.txt";
    let text = seed("000");
    c.open(uri, "plaintext", &text).await;
    c.diagnostics(uri, 1).await;
    // Line 335 (1-based) holds the 总计 column of （七）总计: 57.
    let res = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 334, "character": 1 } }),
        )
        .await;
    let value = res["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(value.contains("57") && value.contains("✓"), "{res}");
    let line = text.lines().nth(8).unwrap();
    let col = line[..line.find("9.8%").unwrap()].encode_utf16().count();
    let res = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 8, "character": col } }),
        )
        .await;
    let value = res["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        value.contains("8.8%") && value.contains("5件 ÷ 57件"),
        "{res}"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn document_symbols_outline_sections_and_tables() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/outline.txt";
    c.open(uri, "plaintext", &seed("001")).await;
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    let symbols = res["result"].as_array().unwrap();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "长沙市芙蓉区2021年政府信息公开工作年度报告");
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(
        symbols[3]["children"][0]["name"],
        "收到和处理政府信息公开申请情况表"
    );
    let res = c
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    let labels = res["result"].to_string();
    assert!(labels.contains("三、收到和处理政府信息公开申请情况") && labels.contains("（七）总计"));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn utf16_and_utf8_positions_with_cjk_emoji_ext_b_and_crlf() {
    let text = "某县2021年政府信息公开工作年度报告\r\n\r\n一、总体情况 😀𠀀\r\n（一）主动公开。😀𠀀共发布信息10条，其中政务动态2条，通知公告3条。\r\n";
    for utf8 in [false, true] {
        let mut c = TestClient::start();
        let caps = if utf8 {
            json!({ "general": { "positionEncodings": ["utf-8"] } })
        } else {
            json!({})
        };
        c.initialize(caps, Value::Null).await;
        let uri = "file:///tmp/wide.txt";
        c.open(uri, "plaintext", text).await;
        let diags = c.diagnostics(uri, 1).await;
        let p004 = diags.iter().find(|d| d["code"] == "P004").expect("P004");
        let r = &p004["range"];
        let start = offset_of(
            text,
            r["start"]["line"].as_u64().unwrap(),
            r["start"]["character"].as_u64().unwrap(),
            utf8,
        );
        assert!(text[start..].starts_with("其中"), "{utf8}: {r}");
        // Editing after the wide characters keeps positions right: delete "其中".
        let end_col = r["start"]["character"].as_u64().unwrap() + if utf8 { 6 } else { 2 };
        let line = r["start"]["line"].as_u64().unwrap();
        c.change(uri, 2, json!([{ "range": range(line, r["start"]["character"].as_u64().unwrap(), line, end_col), "text": "" }]))
            .await;
        let diags = c.diagnostics(uri, 2).await;
        assert!(!codes(&diags).contains(&"P004".to_string()));
        c.shutdown_and_exit().await;
    }
}

#[tokio::test]
async fn bad_input_never_takes_the_server_down() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    // A change to a document that is not open.
    c.change(
        "file:///tmp/unknown.txt",
        2,
        json!([{ "range": range(0, 0, 0, 0), "text": "x" }]),
    )
    .await;
    // Ranges past the end and backwards are clamped.
    let uri = "file:///tmp/robust.txt";
    c.open(uri, "plaintext", "一、总体情况\n").await;
    c.change(
        uri,
        2,
        json!([{ "range": range(99, 5, 120, 0), "text": "二、主动公开政府信息情况\n" }]),
    )
    .await;
    c.change(uri, 3, json!([{ "range": range(0, 6, 0, 2), "text": "" }]))
        .await;
    c.diagnostics(uri, 3).await;
    // A malformed frame and an unknown method.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    let res = c.request("reportlint/unknown", json!({})).await;
    assert_eq!(res["error"]["code"], -32601, "{res}");
    // A panic inside analysis answers with an error, and the server keeps serving.
    let bad = "file:///tmp/panic.txt";
    c.open(bad, "plaintext", PANIC_MARK).await;
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": bad } }),
        )
        .await;
    assert_eq!(res["error"]["code"], -32603, "{res}");
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert!(res["result"].is_array(), "{res}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn a_burst_of_edits_is_coalesced_and_the_last_version_wins() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/burst.txt";
    let text = seed("000");
    c.open(uri, "plaintext", &text).await;
    c.diagnostics(uri, 1).await;
    let line = text.lines().count() as u64;
    for v in 2..=101 {
        c.change(
            uri,
            v,
            json!([{ "range": range(line, 0, line, 0), "text": "字" }]),
        )
        .await;
    }
    let last = c.diagnostics(uri, 101).await;
    assert!(!last.is_empty());
    let published = c
        .queue
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert!(published < 100, "{published} publications for 100 edits");
    let stats = c.request("reportlint/stats", json!({ "uri": uri })).await;
    assert_eq!(stats["result"]["version"], 101);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn an_edit_reparses_only_the_blocks_it_touches() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/big.txt";
    let text = seed("003");
    c.open(uri, "plaintext", &text).await;
    c.diagnostics(uri, 1).await;
    c.change(
        uri,
        2,
        json!([{ "range": range(8, 4, 8, 4), "text": "，" }]),
    )
    .await;
    c.diagnostics(uri, 2).await;
    let stats = c.request("reportlint/stats", json!({ "uri": uri })).await;
    let reused = stats["result"]["reused"].as_u64().unwrap();
    let parsed = stats["result"]["parsed"].as_u64().unwrap();
    assert!(
        parsed <= 3 && reused * 10 > (reused + parsed) * 9,
        "{stats}"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn messages_follow_the_locale_and_the_settings() {
    let mut c = TestClient::start();
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {}, "locale": "en-US" }),
    )
    .await;
    c.notify("initialized", json!({})).await;
    let uri = "file:///tmp/lang.txt";
    c.open(uri, "plaintext", &seed("000")).await;
    let english = c.diagnostics(uri, 1).await;
    assert!(
        english
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("the text says")),
        "{english:?}"
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "reportlint": { "lang": "zh" } } }),
    )
    .await;
    let chinese = c.diagnostics(uri, 1).await;
    assert!(
        chinese
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("文中写作")),
        "{chinese:?}"
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "reportlint": { "lang": null } } }),
    )
    .await;
    let back = c.diagnostics(uri, 1).await;
    assert!(
        back.iter()
            .any(|d| d["message"].as_str().unwrap().contains("the text says")),
        "{back:?}"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn ignore_actions_and_rule_links() {
    let mut c = TestClient::start();
    c.initialize(json!({}), Value::Null).await;
    let uri = "file:///tmp/ignore.txt";
    let text = seed("000");
    c.open(uri, "plaintext", &text).await;
    let diags = c.diagnostics(uri, 1).await;
    let p003 = diags.iter().find(|d| d["code"] == "P003").unwrap();
    assert!(
        p003["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("rules.md#p003"),
        "{p003}"
    );
    let actions = c.code_actions(uri, p003["range"].clone(), None).await;
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "在此处忽略 P003")
        .expect("an ignore action");
    let new = apply_edits(&text, workspace_edits(&ignore["edit"], uri), false);
    let left = analyze(&new, &Options::default());
    assert!(!left
        .diagnostics
        .iter()
        .any(|d| d.code == "P003" || d.code == "S014"));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn the_workspace_configuration_file_applies_and_reloads() {
    let dir = std::env::temp_dir().join(format!("reportlint-lsp-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("reportlint.toml");
    std::fs::write(&config, "[rules]\nP003 = \"warning\"\nP010 = \"off\"\n").unwrap();
    let root = lsp_url(&dir);
    let mut c = TestClient::start();
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": root, "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } } }),
    )
    .await;
    c.notify("initialized", json!({})).await;
    let uri = format!("{root}/r.txt");
    c.open(&uri, "plaintext", &seed("000")).await;
    let diags = c.diagnostics(&uri, 1).await;
    let p003 = diags.iter().find(|d| d["code"] == "P003").unwrap();
    assert_eq!(
        p003["severity"], 2,
        "P003 is a warning by the configuration"
    );
    assert!(!codes(&diags).contains(&"P010".to_string()));
    // A broken file is shown to the user, and the last good settings stay.
    std::fs::write(&config, "[rules]\nP003 = \"loud\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("{root}/reportlint.toml"), "type": 2 }] }),
    )
    .await;
    let shown = c.notification("window/showMessage").await;
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("reportlint.toml:2:8"),
        "{shown}"
    );
    // A fixed file applies again.
    std::fs::write(&config, "[rules]\nP003 = \"off\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("{root}/reportlint.toml"), "type": 2 }] }),
    )
    .await;
    loop {
        let diags = c.diagnostics(&uri, 1).await;
        if !codes(&diags).contains(&"P003".to_string()) {
            assert!(codes(&diags).contains(&"P010".to_string()));
            break;
        }
    }
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn lsp_url(path: &std::path::Path) -> String {
    tower_lsp::lsp_types::Url::from_directory_path(path)
        .unwrap()
        .to_string()
        .trim_end_matches('/')
        .to_string()
}

fn rule_fixture(rel: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/rules/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn last_years_report_open_beside_this_years() {
    let dir = std::env::temp_dir().join(format!("reportlint-lsp-years-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = lsp_url(&dir);
    let (this, last) = (format!("{root}/2022.txt"), format!("{root}/2021.txt"));
    let last_text = rule_fixture("L006_carryover-mismatch/previous/2021.txt");
    let mut c = TestClient::start();
    c.initialize(json!({}), json!({})).await;
    c.open(&last, "plaintext", &last_text).await;
    c.open(
        &this,
        "plaintext",
        &rule_fixture("L006_carryover-mismatch/fail.txt"),
    )
    .await;
    let diags = loop {
        let d = c.diagnostics(&this, 1).await;
        if codes(&d).contains(&"L006".to_string()) {
            break d;
        }
    };
    let l006: Vec<&Value> = diags.iter().filter(|d| d["code"] == "L006").collect();
    assert_eq!(l006.len(), 2, "{diags:?}");
    assert!(
        l006[0]["message"]
            .as_str()
            .unwrap()
            .contains("见 2021.txt 第 73 行"),
        "{l006:?}"
    );
    // Last year's report is corrected: this year's is checked again.
    let fixed = last_text.replace("2\t0\t0\t0\t0\t0\t2", "1\t0\t0\t0\t0\t0\t1");
    assert_ne!(fixed, last_text);
    c.change(&last, 2, json!([{ "text": fixed }])).await;
    loop {
        let d = c.diagnostics(&this, 1).await;
        if !codes(&d).contains(&"L006".to_string()) {
            break;
        }
    }
    // Wrong again, then closed: nothing on disk takes its place.
    c.change(&last, 3, json!([{ "text": last_text }])).await;
    loop {
        let d = c.diagnostics(&this, 1).await;
        if codes(&d).contains(&"L006".to_string()) {
            break;
        }
    }
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": last } }),
    )
    .await;
    loop {
        let d = c.diagnostics(&this, 1).await;
        if !codes(&d).contains(&"L006".to_string()) {
            break;
        }
    }
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn last_years_report_on_disk_beside_an_open_one() {
    let dir = std::env::temp_dir().join(format!("reportlint-lsp-disk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2021.txt"),
        rule_fixture("L007_in-force-mismatch/previous/2021.txt"),
    )
    .unwrap();
    let root = lsp_url(&dir);
    let this = format!("{root}/2022.txt");
    let mut c = TestClient::start();
    c.initialize(json!({}), json!({})).await;
    c.open(
        &this,
        "plaintext",
        &rule_fixture("L007_in-force-mismatch/fail.txt"),
    )
    .await;
    let diags = c.diagnostics(&this, 1).await;
    let l007: Vec<&Value> = diags.iter().filter(|d| d["code"] == "L007").collect();
    assert_eq!(l007.len(), 1, "{diags:?}");
    assert!(
        l007[0]["message"].as_str().unwrap().contains("2021.txt"),
        "{l007:?}"
    );
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}
