//! The language server against hostile clients: malformed frames, unknown methods, requests at
//! the wrong time, closed documents, a 10 MB document, a burst of 1,000 edits, the shutdown and
//! exit sequence, and memory after documents close.
//!
//! Most tests run the server in-process (`reportlint::lsp::serve` over a duplex pipe); exit codes
//! and memory are measured on the real binary (`reportlint server`).

#![allow(clippy::print_stderr)]

#[path = "support/frames.rs"]
mod frames;

use std::collections::VecDeque;
use std::io::{BufRead, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};
use tokio::task::JoinHandle;

const TIMEOUT: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seed() -> String {
    fixture("seeds/000_27b6cab774d2b1c9.txt")
}

/// A report followed by `bytes` of prose paragraphs.
fn big_report(bytes: usize) -> String {
    let mut text = seed();
    let para = "本机关持续推进政务公开标准化规范化建设，稳步提升公开质量。\n\n";
    text.reserve(bytes);
    while text.len() < bytes {
        text.push_str(para);
    }
    text
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({ "start": { "line": l1, "character": c1 }, "end": { "line": l2, "character": c2 } })
}

// ---------------------------------------------------------------------------------------------
// In-process client.

struct Client {
    write: WriteHalf<DuplexStream>,
    read: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    queue: VecDeque<Value>,
    server: Option<JoinHandle<ExitCode>>,
}

impl Client {
    fn start() -> Client {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server);
        let handle = tokio::spawn(reportlint::lsp::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client);
        Client {
            write,
            read: BufReader::new(read),
            next_id: 1,
            queue: VecDeque::new(),
            server: Some(handle),
        }
    }

    async fn initialized() -> Client {
        let mut c = Client::start();
        let res = c
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": {} }),
            )
            .await;
        assert!(res["result"]["capabilities"].is_object(), "{res}");
        c.notify("initialized", json!({})).await;
        c
    }

    async fn send_raw(&mut self, bytes: &[u8]) {
        tokio::time::timeout(TIMEOUT, async {
            self.write.write_all(bytes).await.unwrap();
            self.write.flush().await.unwrap();
        })
        .await
        .expect("the server stopped reading");
    }

    async fn send(&mut self, msg: &Value) {
        let frame = frames::frame(&msg.to_string());
        self.send_raw(frame.as_bytes()).await;
    }

    async fn try_recv(&mut self, limit: Duration) -> Option<Value> {
        let read = async {
            let body = frames::read_body(&mut self.read).await?;
            Some(serde_json::from_slice::<Value>(&body).expect("the server wrote invalid JSON"))
        };
        tokio::time::timeout(limit, read).await.ok().flatten()
    }

    async fn recv(&mut self) -> Value {
        let msg = self
            .try_recv(TIMEOUT)
            .await
            .expect("no message from the server in time (or the stream closed)");
        if msg.get("method").is_some() && msg.get("id").is_some() {
            let reply = json!({ "jsonrpc": "2.0", "id": msg["id"], "result": null });
            self.send(&reply).await;
        }
        msg
    }

    /// The response with this id; other messages are queued.
    async fn response(&mut self, id: &Value) -> Value {
        if let Some(i) = self
            .queue
            .iter()
            .position(|m| m.get("id") == Some(id) && m.get("method").is_none())
        {
            return self.queue.remove(i).unwrap();
        }
        loop {
            let msg = self.recv().await;
            if msg.get("id") == Some(id) && msg.get("method").is_none() {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg).await;
        self.response(&json!(id)).await
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg).await;
    }

    async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": text } }),
        )
        .await;
    }

    async fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
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

    /// The diagnostics published for `uri` at `version` within `limit`; earlier ones are skipped.
    async fn diagnostics_within(
        &mut self,
        uri: &str,
        version: Option<i64>,
        limit: Duration,
    ) -> Option<Vec<Value>> {
        let wanted = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        };
        if let Some(i) = self.queue.iter().position(wanted) {
            let m = self.queue.remove(i).unwrap();
            return m["params"]["diagnostics"].as_array().cloned();
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.try_recv(left).await?;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let reply = json!({ "jsonrpc": "2.0", "id": msg["id"], "result": null });
                self.send(&reply).await;
            }
            if wanted(&msg) {
                return msg["params"]["diagnostics"].as_array().cloned();
            }
            if msg["method"] != "textDocument/publishDiagnostics" {
                self.queue.push_back(msg);
            }
        }
    }

    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_within(uri, Some(version), TIMEOUT)
            .await
            .unwrap_or_else(|| panic!("no diagnostics for {uri} v{version}"))
    }

    /// The server still serves: a request is answered.
    async fn alive(&mut self) {
        let res = self.request("reportlint/noSuchMethod", json!({})).await;
        assert_eq!(res["error"]["code"], -32601, "{res}");
    }

    async fn exit_code(mut self) -> ExitCode {
        let handle = self.server.take().unwrap();
        tokio::time::timeout(TIMEOUT, handle)
            .await
            .expect("the server did not stop")
            .unwrap()
    }

    async fn shutdown_and_exit(mut self) -> ExitCode {
        let res = self.request("shutdown", Value::Null).await;
        assert!(res.get("error").is_none(), "{res}");
        self.notify("exit", Value::Null).await;
        self.exit_code().await
    }
}

// ---------------------------------------------------------------------------------------------
// Frames and messages.

#[tokio::test]
async fn malformed_frames_are_answered_and_the_session_goes_on() {
    let mut c = Client::initialized().await;
    let framed = |body: &[u8]| {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    };
    // (what, frame, the error codes that are right for it)
    let cases: Vec<(&str, Vec<u8>, &[i64])> = vec![
        ("not JSON", framed(b"{not json"), &[-32700]),
        (
            "a non-number length",
            b"Content-Length: abc\r\n\r\n".to_vec(),
            &[-32700],
        ),
        (
            "a negative length",
            b"Content-Length: -5\r\n\r\n".to_vec(),
            &[-32700],
        ),
        (
            "a length past the limit",
            b"Content-Length: 99999999999999\r\n\r\n".to_vec(),
            &[-32700],
        ),
        (
            "no length at all",
            b"Content-Type: x\r\n\r\n".to_vec(),
            &[-32700],
        ),
        ("a number", framed(b"42"), &[-32600]),
        ("an empty object", framed(b"{}"), &[-32600]),
        ("an array of numbers", framed(b"[1,2]"), &[-32600]),
        (
            "no method and no result",
            framed(br#"{"jsonrpc":"2.0","id":77}"#),
            // tower-lsp reads it as a request of no method: -32601 rather than -32600.
            &[-32600, -32601],
        ),
        (
            "a method that is a number",
            framed(br#"{"jsonrpc":"2.0","id":78,"method":12}"#),
            &[-32600],
        ),
        ("invalid UTF-8", framed(b"\"\xff\xfe\""), &[-32700]),
        ("an empty body", framed(b""), &[-32700]),
    ];
    for (what, bytes, codes) in &cases {
        c.send_raw(bytes).await;
        let msg = c
            .try_recv(Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("{what}: no answer"));
        let got = msg["error"]["code"].as_i64().unwrap_or_default();
        assert!(codes.contains(&got), "{what}: {msg}");
        c.alive().await;
    }
    // A batch: JSON-RPC allows it, LSP does not; either way the session must go on.
    let batch = json!([
        { "jsonrpc": "2.0", "id": 901, "method": "reportlint/noSuchMethod" },
        { "jsonrpc": "2.0", "id": 902, "method": "reportlint/noSuchMethod" }
    ])
    .to_string();
    c.send_raw(format!("Content-Length: {}\r\n\r\n{batch}", batch.len()).as_bytes())
        .await;
    let msg = c.recv().await;
    assert!(
        msg.get("error").is_some() || msg.is_array(),
        "a batch is answered: {msg}"
    );
    c.alive().await;
    // Headers in another case, and extra headers, are fine.
    let body =
        json!({ "jsonrpc": "2.0", "id": 903, "method": "reportlint/noSuchMethod" }).to_string();
    c.send_raw(
        format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await;
    let msg = c.response(&json!(903)).await;
    assert_eq!(msg["error"]["code"], -32601, "{msg}");
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

/// A length shorter than the body leaves the rest of it in the stream; a length that cannot be
/// read leaves the whole body; a longer one swallows part of the next frame. The server cannot
/// know, but it must find the next frame and go on. The leftover bytes (a body has no line break
/// at its end) join the next frame's `Content-Length` line; once that frame was read as a bad
/// header block, its body joined the next header, and so on: a client that counts characters
/// instead of UTF-8 bytes (the first case) lost the session on its first message with Chinese
/// text. The transport (`read_frame` in src/lsp/transport.rs) now takes a `Content-Length:`
/// found anywhere in a header line, and falls back in step at the next frame.
#[tokio::test]
async fn a_wrong_content_length_costs_at_most_the_next_message() {
    let cjk = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": "file:///reportlint-test-nowhere/cjk.txt", "languageId": "plaintext", "version": 1, "text": "一、总体情况" } } }).to_string();
    let body = r#"{"jsonrpc":"2.0","id":50,"method":"reportlint/noSuchMethod"}"#;
    let cases = [
        (
            "a length in characters, not bytes",
            format!("Content-Length: {}\r\n\r\n{cjk}", cjk.chars().count()),
        ),
        ("too short", format!("Content-Length: 10\r\n\r\n{body}")),
        ("too long", format!("Content-Length: 80\r\n\r\n{body}")),
        (
            "a non-number length",
            format!("Content-Length: abc\r\n\r\n{body}"),
        ),
    ];
    let mut failures = Vec::new();
    for (what, wrong) in cases {
        let mut c = Client::initialized().await;
        c.send_raw(wrong.as_bytes()).await;
        // Requests until one is answered: at most the first two may be lost.
        let mut answered = None;
        for k in 0..5 {
            let id = 60 + k;
            let body = json!({ "jsonrpc": "2.0", "id": id, "method": "reportlint/noSuchMethod" })
                .to_string();
            c.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
                .await;
            let deadline = Instant::now() + Duration::from_secs(1);
            while let Some(msg) = c
                .try_recv(deadline.saturating_duration_since(Instant::now()))
                .await
            {
                if msg["id"] == id && msg["error"]["code"] == -32601 {
                    answered = Some(k);
                    break;
                }
            }
            if answered.is_some() {
                break;
            }
        }
        match answered {
            Some(lost) if lost <= 2 => {
                assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS, "{what}");
            }
            Some(lost) => failures.push(format!("{what}: {lost} requests lost")),
            None => failures.push(format!(
                "{what}: the session never recovered (5 requests lost)"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn unknown_methods_and_notifications() {
    let mut c = Client::initialized().await;
    let res = c.request("textDocument/noSuchThing", json!({})).await;
    assert_eq!(res["error"]["code"], -32601, "{res}");
    // Unknown notifications, `$/` ones and a cancel of nothing are ignored without a reply.
    c.notify("reportlint/noSuchNotification", json!({ "x": 1 }))
        .await;
    c.notify("$/setTrace", json!({ "value": "verbose" })).await;
    c.notify("$/cancelRequest", json!({ "id": 12345 })).await;
    c.notify("workspace/didChangeWatchedFiles", json!({ "changes": [] }))
        .await;
    // Requests with the wrong params.
    let res = c
        .request("textDocument/hover", json!({ "nonsense": true }))
        .await;
    assert_eq!(res["error"]["code"], -32602, "{res}");
    let res = c.request("textDocument/hover", json!([1, 2, 3])).await;
    assert!(res.get("error").is_some(), "{res}");
    // A string id is answered with that id.
    c.send(&json!({ "jsonrpc": "2.0", "id": "abc", "method": "reportlint/noSuchMethod" }))
        .await;
    let res = c.response(&json!("abc")).await;
    assert_eq!(res["error"]["code"], -32601, "{res}");
    // Notifications with broken params.
    c.notify("textDocument/didOpen", json!({ "textDocument": 5 }))
        .await;
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///x.txt", "version": 2 }, "contentChanges": [{ "range": range(0, 0, 0, 0) }] }),
    )
    .await;
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///x.txt", "version": 2 }, "contentChanges": [{ "range": { "start": { "line": -1, "character": 0 }, "end": { "line": 0, "character": 4294967296u64 } }, "text": "" }] }),
    )
    .await;
    c.alive().await;
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

#[tokio::test]
async fn requests_before_initialize_and_a_second_initialize() {
    let mut c = Client::start();
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///a.txt" } }),
        )
        .await;
    assert_eq!(res["error"]["code"], -32002, "{res}");
    let res = c.request("shutdown", Value::Null).await;
    assert_eq!(res["error"]["code"], -32002, "{res}");
    // A notification before initialize is dropped, not remembered.
    c.open("file:///early.txt", &seed()).await;
    let res = c
        .request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        )
        .await;
    assert!(res.get("result").is_some(), "{res}");
    c.notify("initialized", json!({})).await;
    let res = c
        .request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        )
        .await;
    assert!(res.get("error").is_some(), "a second initialize: {res}");
    c.alive().await;
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

#[tokio::test]
async fn changes_to_closed_documents_are_ignored() {
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/closed.txt";
    c.open(uri, &seed()).await;
    c.diagnostics(uri, 1).await;
    c.close(uri).await;
    let cleared = c.diagnostics_within(uri, None, TIMEOUT).await;
    assert_eq!(cleared, Some(vec![]), "diagnostics cleared on close");
    c.change(
        uri,
        2,
        json!([{ "range": range(0, 0, 0, 0), "text": "字" }]),
    )
    .await;
    c.change(uri, 3, json!([{ "text": "全文替换" }])).await;
    c.close(uri).await;
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    )
    .await;
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert!(
        res.get("error").is_some(),
        "a closed document has no symbols: {res}"
    );
    let res = c
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range(0, 0, 0, 0), "context": { "diagnostics": [] } }),
        )
        .await;
    assert!(res.get("error").is_some(), "{res}");
    // Nothing is published for it any more.
    let late = c
        .diagnostics_within(uri, None, Duration::from_millis(500))
        .await;
    assert_eq!(late, None, "diagnostics for a closed document");
    // Open again: fresh from the new text.
    c.open(uri, "一、总体情况\n").await;
    let diags = c.diagnostics(uri, 1).await;
    assert!(!diags.is_empty());
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

/// Opening a document twice without closing it replaces it.
#[tokio::test]
async fn opening_twice_replaces_the_document() {
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/twice.txt";
    c.open(uri, &seed()).await;
    let first = c.diagnostics(uri, 1).await;
    assert!(first.iter().any(|d| d["code"] == "P003"));
    c.open(uri, "").await;
    let mut second = Vec::new();
    for _ in 0..3 {
        second = c.diagnostics(uri, 1).await;
        if !second.iter().any(|d| d["code"] == "P003") {
            break;
        }
    }
    assert!(
        !second.iter().any(|d| d["code"] == "P003"),
        "the old text's findings: {second:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

// ---------------------------------------------------------------------------------------------
// Size and speed.

/// How big "big" is: 10 MB unless `REPORTLINT_ROBUST_BIG_MB` says otherwise.
fn big_size() -> usize {
    std::env::var("REPORTLINT_ROBUST_BIG_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(10)
        << 20
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_document() {
    let slow = Duration::from_secs(300);
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/big.txt";
    let text = big_report(big_size());
    let lines = text.lines().count() as u32;
    let started = Instant::now();
    c.open(uri, &text).await;
    let diags = c
        .diagnostics_within(uri, Some(1), slow)
        .await
        .expect("diagnostics for the big document");
    let opened = started.elapsed();
    assert!(diags.iter().any(|d| d["code"] == "P003"), "{diags:?}");
    // An edit at the end; the server answers requests while it works.
    let started = Instant::now();
    c.change(
        uri,
        2,
        json!([{ "range": range(lines, 0, lines, 0), "text": "一、总体情况" }]),
    )
    .await;
    let res = c
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert!(res["result"].is_array(), "{res}");
    let res = c.request("reportlint/stats", json!({ "uri": uri })).await;
    assert_eq!(res["result"]["version"], 2, "{res}");
    let edited = started.elapsed();
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert!(res["result"].is_array(), "{res}");
    c.close(uri).await;
    eprintln!(
        "{} MB: opened and checked in {opened:.1?}, an edit in {edited:.1?}",
        text.len() >> 20
    );
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rapid_edits() {
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/rapid.txt";
    let mut text = seed();
    c.open(uri, &text).await;
    c.diagnostics(uri, 1).await;
    // Typing at the end of line 9 (the P003 line), deleting now and then, a request in between.
    let line = 8u32;
    let line_text = text.lines().nth(8).unwrap().to_string();
    let mut col = line_text.encode_utf16().count() as u32;
    let line_start = text.find(&line_text).unwrap();
    let mut end = line_start + line_text.len();
    let started = Instant::now();
    for v in 2..=1001i64 {
        if v % 7 == 0 {
            // Backspace over the last char typed (or the line's last char).
            let prev = text[..end].chars().next_back().unwrap();
            let w = prev.len_utf16() as u32;
            c.change(
                uri,
                v,
                json!([{ "range": range(line, col - w, line, col), "text": "" }]),
            )
            .await;
            end -= prev.len_utf8();
            text.replace_range(end..end + prev.len_utf8(), "");
            col -= w;
        } else {
            let typed = ["字", "😀", "𠀀", "1", "，"][v as usize % 5];
            c.change(
                uri,
                v,
                json!([{ "range": range(line, col, line, col), "text": typed }]),
            )
            .await;
            text.insert_str(end, typed);
            end += typed.len();
            col += typed.encode_utf16().count() as u32;
        }
        if v % 100 == 0 {
            let res = c
                .request(
                    "textDocument/hover",
                    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 0 } }),
                )
                .await;
            assert!(res.get("result").is_some(), "{res}");
        }
    }
    let sent = started.elapsed();
    // The last version is analysed and published (a no-op edit, no request after it, so the
    // request-after-change issue pinned below cannot hide it).
    c.change(
        uri,
        1002,
        json!([{ "range": range(0, 0, 0, 0), "text": "" }]),
    )
    .await;
    let last = c.diagnostics(uri, 1002).await;
    let stats = c.request("reportlint/stats", json!({ "uri": uri })).await;
    assert_eq!(stats["result"]["version"], 1002, "{stats}");
    // The server's text is the client's: the same findings as the text opened afresh.
    let fresh = "file:///reportlint-test-nowhere/rapid-fresh.txt";
    c.open(fresh, &text).await;
    let want = c.diagnostics(fresh, 1).await;
    let strip = |v: &[Value]| -> Vec<Value> {
        v.iter()
            .map(|d| {
                let mut d = d.clone();
                d.as_object_mut().unwrap().remove("relatedInformation");
                d
            })
            .collect()
    };
    assert_eq!(strip(&last), strip(&want));
    let published = c
        .queue
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    eprintln!("1,000 edits sent in {sent:.1?}; {published} publications queued");
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

// ---------------------------------------------------------------------------------------------
// Shutdown and exit.

#[tokio::test]
async fn exit_without_shutdown_is_code_1_and_shutdown_then_exit_is_0() {
    let mut c = Client::initialized().await;
    c.notify("exit", Value::Null).await;
    assert_eq!(c.exit_code().await, ExitCode::from(1));

    let c = Client::initialized().await;
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);

    // The client goes away without a word.
    let c = Client::initialized().await;
    let Client {
        write,
        read,
        server,
        ..
    } = c;
    drop(write);
    drop(read);
    let code = tokio::time::timeout(TIMEOUT, server.unwrap())
        .await
        .expect("the server did not stop at the end of its input")
        .unwrap();
    assert_eq!(code, ExitCode::from(1));
}

#[tokio::test]
async fn requests_after_shutdown_get_an_error() {
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/after.txt";
    c.open(uri, &seed()).await;
    c.diagnostics(uri, 1).await;
    let res = c.request("shutdown", Value::Null).await;
    assert!(res.get("error").is_none(), "{res}");
    for method in [
        "textDocument/documentSymbol",
        "reportlint/stats",
        "shutdown",
    ] {
        let params = match method {
            "shutdown" => Value::Null,
            "reportlint/stats" => json!({ "uri": uri }),
            _ => json!({ "textDocument": { "uri": uri } }),
        };
        let res = c.request(method, params).await;
        assert_eq!(
            res["error"]["code"], -32600,
            "{method} after shutdown: {res}"
        );
    }
    // Notifications after shutdown are dropped; exit still ends the session cleanly.
    c.change(uri, 2, json!([{ "text": "x" }])).await;
    c.notify("exit", Value::Null).await;
    assert_eq!(c.exit_code().await, ExitCode::SUCCESS);
}

/// Emacs' Eglot (as shipped with Emacs 29) sends `"params": null` with `shutdown`. tower-lsp
/// refuses it (-32602 "Unexpected params: null"), so the shutdown is not recorded and the
/// `exit` that follows ends the server with code 1. JSON-RPC wants params to be an object or an
/// array, but null is a common reading of "no params": the transport drops a null `params`
/// before tower-lsp sees it.
#[tokio::test]
async fn shutdown_with_null_params_is_accepted() {
    let mut c = Client::initialized().await;
    c.send(&json!({ "jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null }))
        .await;
    let res = c.response(&json!(99)).await;
    c.notify("exit", Value::Null).await;
    let code = c.exit_code().await;
    assert!(
        res.get("error").is_none(),
        "shutdown with null params: {res}"
    );
    assert_eq!(code, ExitCode::SUCCESS);
}

// ---------------------------------------------------------------------------------------------
// Publication.

/// A request that arrives right after a change (hover, code action, the editor's outline, …)
/// analyses the new version on the spot (`Backend::snapshot`) and marks the document clean; the
/// background task then found nothing to do, and the diagnostics of that version were never
/// published: the editor kept showing the previous version's. Found by
/// `fuzz_lsp_hostile_edits` (tests/properties.rs); now such a version is marked unpublished
/// and the background task publishes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_version_after_a_change_is_published() {
    let mut c = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/published.txt";
    let text = seed();
    c.open(uri, &text).await;
    c.diagnostics(uri, 1).await;
    let mut missing = Vec::new();
    for v in 2..=9 {
        // The change and a request in one write, as an editor sends them on a keystroke.
        let change = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": uri, "version": v }, "contentChanges": [{ "range": range(0, 0, 0, 0), "text": "字" }] } }).to_string();
        let id = 1000 + v;
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": uri } } }).to_string();
        let both = format!(
            "Content-Length: {}\r\n\r\n{change}Content-Length: {}\r\n\r\n{request}",
            change.len(),
            request.len()
        );
        c.send_raw(both.as_bytes()).await;
        c.response(&json!(id)).await;
        if c.diagnostics_within(uri, Some(v), Duration::from_secs(2))
            .await
            .is_none()
        {
            missing.push(v);
        }
    }
    assert!(
        missing.is_empty(),
        "versions whose diagnostics were never published: {missing:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

/// Closing and opening a document again while the background task still analyses the old
/// text: when that analysis ended, `analysis_loop` stored its result in the new document
/// (`Doc::finish`, src/lsp/server.rs and src/lsp/doc.rs), replacing the blocks of the new text
/// with those of the old one. The next edit was parsed against them: the analysis panicked (and
/// nothing was published). Now each opening is numbered and an earlier one's result dropped. Found by
/// `fuzz_lsp_hostile_edits` (tests/properties.rs), as a version never published. (The old
/// analysis must end after the new text's, which a request analysed on the spot.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_a_document_while_it_is_analysed() {
    let mut c = Client::initialized().await;
    let mut oracle = Client::initialized().await;
    let uri = "file:///reportlint-test-nowhere/reopened.txt";
    // An old text that takes a while to analyse, and a short new one: the old analysis ends
    // after the new text's.
    let old = big_report(2 << 20);
    let new = seed();
    c.open(uri, &old).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.close(uri).await;
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 3, "text": new } }),
    )
    .await;
    // The new text is analysed on the spot for a request, before the old analysis ends.
    let res = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    assert!(res["result"].is_array(), "{res}");
    // Wait for the old analysis to end: nothing is published for it, so wait as long as it
    // takes to analyse the old text here, twice over.
    let started = Instant::now();
    let _ = reportlint::analyze(&old, &reportlint::Options::default());
    tokio::time::sleep(started.elapsed() * 2).await;
    // An edit near the start of the new text.
    let mut text = new.clone();
    text.insert(0, '字');
    c.change(
        uri,
        4,
        json!([{ "range": range(0, 0, 0, 0), "text": "字" }]),
    )
    .await;
    let got = c
        .diagnostics_within(uri, Some(4), Duration::from_secs(20))
        .await
        .expect("no diagnostics for the edit after the re-open");
    let fresh = "file:///reportlint-test-nowhere/fresh.txt";
    oracle.open(fresh, &text).await;
    let want = oracle.diagnostics(fresh, 1).await;
    let strip = |v: &[Value]| -> Vec<(Value, Value)> {
        v.iter()
            .map(|d| (d["code"].clone(), d["range"].clone()))
            .collect()
    };
    assert!(
        strip(&got) == strip(&want),
        "findings of the re-opened document differ from the same text opened afresh: {} vs {}",
        got.len(),
        want.len()
    );
    assert_eq!(c.shutdown_and_exit().await, ExitCode::SUCCESS);
}

// ---------------------------------------------------------------------------------------------
// The real binary: exit codes and memory.

struct Proc {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Proc {
    fn spawn() -> Proc {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reportlint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start reportlint server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = std::io::BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().ok();
                    }
                }
                let Some(len) = len else { return };
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                match serde_json::from_slice(&body) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                }
            }
        });
        let stdin = child.stdin.take();
        let mut p = Proc {
            child,
            stdin,
            rx,
            next_id: 1,
        };
        let res = p.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(res.get("result").is_some(), "{res}");
        p.notify("initialized", json!({}));
        p
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin
            .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    fn recv(&mut self, limit: Duration) -> Option<Value> {
        let msg = self.rx.recv_timeout(limit).ok()?;
        if msg.get("method").is_some() && msg.get("id").is_some() {
            self.send(&json!({ "jsonrpc": "2.0", "id": msg["id"], "result": null }));
        }
        Some(msg)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        loop {
            let msg = self
                .recv(Duration::from_secs(300))
                .unwrap_or_else(|| panic!("no answer to {method}"));
            if msg["id"] == id && msg.get("method").is_none() {
                return msg;
            }
        }
    }

    /// Waits for the diagnostics of `uri` (any version).
    fn published(&mut self, uri: &str) {
        loop {
            let msg = self
                .recv(Duration::from_secs(300))
                .expect("diagnostics in time");
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                return;
            }
        }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS")
    }

    fn wait(mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn the_real_server_exits_with_the_right_code() {
    let mut p = Proc::spawn();
    p.notify("exit", Value::Null);
    assert_eq!(p.wait(TIMEOUT), Some(1), "exit without shutdown: code 1");

    let mut p = Proc::spawn();
    let res = p.request("shutdown", Value::Null);
    assert!(res.get("error").is_none(), "{res}");
    let res = p.request("reportlint/stats", json!({ "uri": "file:///x.txt" }));
    assert_eq!(res["error"]["code"], -32600, "after shutdown: {res}");
    p.notify("exit", Value::Null);
    assert_eq!(p.wait(TIMEOUT), Some(0), "shutdown then exit: code 0");

    // Standard input closes without exit (the editor crashed): the server ends by itself.
    let mut p = Proc::spawn();
    p.stdin.take();
    assert_eq!(p.wait(TIMEOUT), Some(1), "end of input: code 1");

    // Shutdown, then the input closes: clean.
    let mut p = Proc::spawn();
    p.request("shutdown", Value::Null);
    p.stdin.take();
    assert_eq!(p.wait(TIMEOUT), Some(0), "shutdown then end of input");
}

/// Resident memory after closing every document falls back near where it was before they
/// were opened. Allocators keep some freed memory, so the bounds are loose: after closing, no
/// more than a quarter of what the documents added (plus 32 MiB) may stay; and opening the same
/// documents again must not keep adding (a leak would).
///
/// Four 2.5 MiB reports take the server from about 23 MiB to about 115 MiB. Once nothing came
/// back after they closed: glibc keeps the freed memory of many small allocations (rope nodes,
/// the per-line parse, the model's strings) in its heaps. The server now hands it back with
/// `malloc_trim` when its background task is idle after a close (src/lsp/memory.rs): about
/// 31 MiB stays.
#[test]
fn memory_returns_after_documents_close() {
    let mut p = Proc::spawn();
    // Warm up: one small document open and closed, so code and caches are resident.
    p.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///warm.txt", "languageId": "plaintext", "version": 1, "text": seed() } }),
    );
    p.published("file:///warm.txt");
    p.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///warm.txt" } }),
    );
    p.published("file:///warm.txt");
    std::thread::sleep(Duration::from_millis(300));
    let base = p.rss_kib();
    let n = 4;
    let size = big_size() / 4;
    let text = big_report(size);
    let mut cycles = Vec::new();
    for _ in 0..2 {
        for k in 0..n {
            let uri = format!("file:///reportlint-test-nowhere/mem{k}.txt");
            p.notify(
                "textDocument/didOpen",
                json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": text } }),
            );
            p.published(&uri);
        }
        let res = p.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///reportlint-test-nowhere/mem0.txt" } }),
        );
        assert!(res["result"].is_array(), "{res}");
        let open = p.rss_kib();
        for k in 0..n {
            let uri = format!("file:///reportlint-test-nowhere/mem{k}.txt");
            p.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri } }),
            );
            p.published(&uri);
        }
        // Let the background task finish, and give the allocator a moment.
        let res = p.request("reportlint/noSuchMethod", json!({}));
        assert_eq!(res["error"]["code"], -32601);
        std::thread::sleep(Duration::from_millis(500));
        cycles.push((open, p.rss_kib()));
    }
    p.request("shutdown", Value::Null);
    p.notify("exit", Value::Null);
    assert_eq!(p.wait(TIMEOUT), Some(0));
    let shown: Vec<String> = cycles
        .iter()
        .map(|(o, c)| format!("{o} KiB open, {c} KiB closed"))
        .collect();
    let report = format!(
        "RSS {base} KiB at rest; {n} documents of {} KiB: {}",
        size >> 10,
        shown.join("; then ")
    );
    eprintln!("{report}");
    let (peak, first_closed) = cycles[0];
    let added = peak.saturating_sub(base);
    assert!(
        added > 8 * 1024,
        "the documents should take memory: {report}"
    );
    let (_, second_closed) = cycles[1];
    assert!(
        second_closed <= first_closed + added / 2,
        "memory grows with each open/close cycle (a leak?): {report}"
    );
    let bound = base + added / 4 + 32 * 1024;
    assert!(
        first_closed <= bound && second_closed <= bound,
        "memory not returned after the documents closed (bound {bound} KiB): {report}"
    );
}
