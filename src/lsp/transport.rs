//! Framing in front of tower-lsp: bad frames are answered here instead of ending the session.
//!
//! tower-lsp reads input with a `FramedRead` that stops for good after one undecodable frame,
//! so a single malformed message would take the server down. Frames are read here first:
//! valid JSON-RPC messages go on to tower-lsp, anything else gets the protocol's error
//! response (`-32700` parse error or `-32600` invalid request) and the session goes on. Output
//! from tower-lsp and those error responses are written to the client whole, never interleaved.

use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp::jsonrpc::{Request, Response};

/// Reads one frame's body; `None` at the end of input. A header block without a valid
/// `Content-Length` yields `Some(Err(()))` after skipping it.
async fn read_frame<R: AsyncBufRead + Unpin>(input: &mut R) -> Option<Result<Vec<u8>, ()>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        let n = input.read_until(b'\n', &mut line).await.ok()?;
        if n == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        // Anywhere in the line: after a frame whose length was wrong, the rest of its body (which
        // ends without a line break) comes before the next frame's header, and this is how the
        // stream falls back in step.
        if let Some(value) = content_length(text) {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length.filter(|l| *l <= MAX_FRAME) else {
        return Some(Err(()));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).await.ok()?;
    Some(Ok(body))
}

/// What follows the last `Content-Length:` of a header line (any case), if it has one.
fn content_length(line: &str) -> Option<&str> {
    const NAME: &str = "content-length:";
    let lower = line.to_ascii_lowercase();
    let at = lower.rfind(NAME)?;
    // `to_ascii_lowercase` keeps byte offsets.
    Some(&line[at + NAME.len()..])
}

/// Frames larger than this are refused rather than buffered.
const MAX_FRAME: usize = 256 << 20;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_response(code: i64, message: &str, id: Value) -> Vec<u8> {
    let body = json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message }, "id": id });
    frame(body.to_string().as_bytes())
}

/// Copies valid frames from the client to tower-lsp; answers the others through `errors`.
pub async fn pump_input<R, W>(input: R, mut to_server: W, errors: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = input;
    while let Some(frame_body) = read_frame(&mut input).await {
        let body = match frame_body {
            Ok(b) => b,
            Err(()) => {
                let _ = errors.send(error_response(
                    -32700,
                    "Parse error: bad or missing Content-Length",
                    Value::Null,
                ));
                continue;
            }
        };
        let mut value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => {
                let _ = errors.send(error_response(-32700, "Parse error", Value::Null));
                continue;
            }
        };
        let valid = serde_json::from_value::<Request>(value.clone()).is_ok()
            || serde_json::from_value::<Response>(value.clone()).is_ok();
        if !valid {
            let id = value.get("id").cloned().unwrap_or(Value::Null);
            let _ = errors.send(error_response(-32600, "Invalid Request", id));
            continue;
        }
        // `"params": null` (Eglot's `shutdown`) means no params; tower-lsp refuses a null.
        let body = match value.as_object_mut() {
            Some(o) if o.get("params").is_some_and(Value::is_null) => {
                o.remove("params");
                serde_json::to_vec(&value).unwrap_or(body)
            }
            _ => body,
        };
        if to_server.write_all(&frame(&body)).await.is_err() || to_server.flush().await.is_err() {
            break;
        }
    }
}

/// Writes tower-lsp's frames and the error responses to the client, each frame whole.
pub async fn pump_output<R, W>(
    from_server: R,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
    mut output: W,
) where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from_server = from_server;
    let mut server_open = true;
    let mut errors_open = true;
    loop {
        let bytes = tokio::select! {
            f = read_frame(&mut from_server), if server_open => match f {
                Some(Ok(body)) => frame(&body),
                Some(Err(())) => continue,
                None => { server_open = false; continue; }
            },
            e = errors.recv(), if errors_open => match e {
                Some(bytes) => bytes,
                None => { errors_open = false; continue; }
            },
            else => break,
        };
        if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}
