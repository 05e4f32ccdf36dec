//! LSP framing for the test clients of tests/properties.rs and tests/server_robustness.rs.
//! Each includes it with `#[path = "support/frames.rs"] mod frames;`.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

/// `body` with its `Content-Length` header.
pub fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// The body of the next frame; `None` at the end of the stream or after a header block
/// without a length.
pub async fn read_body<R: AsyncBufRead + Unpin>(read: &mut R) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    read.read_exact(&mut body).await.ok()?;
    Some(body)
}
