//! The language server (`reportlint server`): LSP over stdio with tower-lsp.
//!
//! Only this module knows LSP, tokio and JSON-RPC; it converts the core's results and routes
//! requests. Logs go to the client (`window/logMessage`) or stderr, never to stdout.

mod convert;
mod doc;
mod previous;
mod server;
#[cfg(test)]
mod tests;
mod transport;

use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tokio::sync::{mpsc, Notify};
use tower_lsp::{ClientSocket, Loopback, LspService, Server};

pub use server::{FIX_ALL_KIND, INSERT_SKELETON};

/// Serves LSP on stdin and stdout until the client says `exit` or closes the stream.
pub fn run() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            crate::cli::output::error(
                crate::lang::Lang::En,
                &format!("cannot start the server runtime: {e}"),
            );
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(async {
        // Pipes (what editors give a server) are read and written through the runtime's event
        // loop; anything else (a terminal, a file) through tokio's blocking standard streams,
        // which cost two thread hand-overs a message.
        #[cfg(unix)]
        if let Some((input, output)) = stdio_pipes() {
            return serve(input, output).await;
        }
        serve(tokio::io::stdin(), tokio::io::stdout()).await
    });
    // Do not wait for the blocking stdin reader: it only ends at end of input.
    runtime.shutdown_background();
    code
}

/// Standard input and output as non-blocking pipes, when both are pipes.
#[cfg(unix)]
fn stdio_pipes() -> Option<(
    tokio::net::unix::pipe::Receiver,
    tokio::net::unix::pipe::Sender,
)> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let input = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let output = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    // Both or neither: making one non-blocking and then using the other way would break it.
    let is_pipe = |fd: &std::os::fd::OwnedFd| {
        let file = std::fs::File::from(fd.try_clone().ok()?);
        Some(file.metadata().ok()?.file_type().is_fifo())
    };
    if is_pipe(&input) != Some(true) || is_pipe(&output) != Some(true) {
        return None;
    }
    Some((
        tokio::net::unix::pipe::Receiver::from_owned_fd(input).ok()?,
        tokio::net::unix::pipe::Sender::from_owned_fd(output).ok()?,
    ))
}

/// Serves LSP on any pair of streams; returns 0 after `shutdown` then `exit`, 1 otherwise.
pub async fn serve<I, O>(input: I, output: O) -> ExitCode
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let state = Arc::new(Mutex::new(server::State::default()));
    let service_state = state.clone();
    let (service, socket) =
        LspService::build(move |client| server::Backend::new(client, service_state))
            .custom_method("reportlint/stats", server::Backend::stats)
            .finish();
    let exited = Arc::new(Notify::new());
    let watch = ExitWatch {
        socket,
        exited: exited.clone(),
    };
    // Frames pass through the transport first, so a bad one cannot end the session.
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (errors, error_frames) = mpsc::unbounded_channel();
    let input_pump = transport::pump_input(BufReader::new(input), to_server, errors);
    let output_pump = transport::pump_output(BufReader::new(from_server), error_frames, output);
    let server = Server::new(server_input, server_output, watch).concurrency_level(1);
    let serving = async {
        // tower-lsp keeps reading input after `exit` (its issue 399): stop as soon as it closes the client.
        tokio::select! {
            _ = async { tokio::join!(server.serve(service), input_pump) } => {}
            _ = exited.notified() => {}
        }
    };
    // The output pump ends once the server's side of the pipe is dropped and all is written.
    tokio::join!(serving, output_pump);
    let clean = state.lock().map(|s| s.shutdown).unwrap_or(false);
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The client socket, watched for its end: tower-lsp closes it on the `exit` notification.
struct ExitWatch {
    socket: ClientSocket,
    exited: Arc<Notify>,
}

type Requests = <ClientSocket as Loopback>::RequestStream;
type Responses = <ClientSocket as Loopback>::ResponseSink;

impl Loopback for ExitWatch {
    type RequestStream = Watched;
    type ResponseSink = Responses;

    fn split(self) -> (Watched, Responses) {
        let (requests, responses) = Loopback::split(self.socket);
        (
            Watched {
                inner: requests,
                exited: self.exited,
            },
            responses,
        )
    }
}

struct Watched {
    inner: Requests,
    exited: Arc<Notify>,
}

impl Stream for Watched {
    type Item = <Requests as Stream>::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(None) = polled {
            self.exited.notify_one();
        }
        polled
    }
}
