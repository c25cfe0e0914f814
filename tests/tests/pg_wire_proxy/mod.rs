//! A TCP proxy between a connection pool and the real PostgreSQL that counts round trips:
//! every byte is forwarded unchanged both ways, and the frontend (client -> server) stream is
//! parsed to count the messages that end a round trip, `S` (Sync, closing an extended-query
//! batch: Parse/Describe or Bind/Execute) and `Q` (a simple query).
//!
//! A message is counted before its bytes are forwarded, so the server cannot have answered it
//! (and the HTTP response waiting on that answer cannot have arrived) before the count shows
//! it: reading the counter after a response needs no waiting.

#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The startup phase's requests that another startup packet follows (no type byte).
const SSL_REQUEST: u32 = 80_877_103;
const GSSENC_REQUEST: u32 = 80_877_104;

/// The frontend message stream, parsed incrementally from the chunks TCP delivers.
#[derive(Debug, Default)]
pub struct Frontend {
    /// Past the startup packet: every message is a type byte and a 4-byte length.
    typed: bool,
    /// The bytes of a message not complete yet.
    pending: Vec<u8>,
}

/// The stream broke the protocol's framing (a length below its own size).
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

impl Frontend {
    /// Takes the next chunk: how many round trips (`S` or `Q` messages) it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<u64, Malformed> {
        self.pending.extend_from_slice(chunk);
        let mut ended = 0;
        let mut at = 0;
        loop {
            let rest = &self.pending[at..];
            let (header, kind) = if self.typed {
                (5, rest.first().copied())
            } else {
                (8, None)
            };
            if rest.len() < header {
                break;
            }
            let start = usize::from(self.typed);
            let len = be_u32(&rest[start..start + 4]) as usize;
            // the length counts itself (and, before the startup packet, the 4-byte code)
            if len < header - start {
                return Err(Malformed);
            }
            let whole = start + len;
            if rest.len() < whole {
                break;
            }
            match kind {
                Some(b'S' | b'Q') => ended += 1,
                Some(_) => {}
                None => {
                    let code = be_u32(&rest[4..8]);
                    self.typed = code != SSL_REQUEST && code != GSSENC_REQUEST;
                }
            }
            at += whole;
        }
        self.pending.drain(..at);
        Ok(ended)
    }
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// What the proxy's threads share.
#[derive(Default)]
struct Shared {
    round_trips: AtomicU64,
    connections: AtomicU64,
    malformed: AtomicBool,
    closing: AtomicBool,
    /// Both sockets of every proxied connection, shut down on close.
    sockets: Mutex<Vec<TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// The proxy: listening on 127.0.0.1 (a free port) until [`close`](Self::close)d or dropped.
pub struct WireProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl WireProxy {
    /// Proxies to `upstream` (`127.0.0.1:5432`).
    pub fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().unwrap();
        let upstream: SocketAddr = upstream.parse().expect("an upstream address");
        let shared = Arc::new(Shared::default());
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept(&listener, upstream, &shared))
        };
        Self {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// The port a pool connects to.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The round trips (`S` and `Q` messages) sent through the proxy so far.
    pub fn round_trips(&self) -> u64 {
        assert!(
            !self.shared.malformed.load(Ordering::SeqCst),
            "the frontend stream broke the protocol's framing"
        );
        self.shared.round_trips.load(Ordering::SeqCst)
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Stops listening, shuts every proxied connection down and joins the threads.
    pub fn close(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.closing.store(true, Ordering::SeqCst);
        // wakes the blocked accept, which then sees `closing`
        let _ = TcpStream::connect(self.addr);
        let _ = acceptor.join();
        for socket in self.shared.sockets.lock().unwrap().drain(..) {
            let _ = socket.shutdown(Shutdown::Both);
        }
        let threads: Vec<_> = self.shared.threads.lock().unwrap().drain(..).collect();
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Drop for WireProxy {
    fn drop(&mut self) {
        self.shut();
    }
}

fn accept(listener: &TcpListener, upstream: SocketAddr, shared: &Arc<Shared>) {
    for client in listener.incoming() {
        if shared.closing.load(Ordering::SeqCst) {
            return;
        }
        let Ok(client) = client else { continue };
        let Ok(server) = TcpStream::connect(upstream) else {
            continue;
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let (Ok(c2), Ok(s2), Ok(c3), Ok(s3)) = (
            client.try_clone(),
            server.try_clone(),
            client.try_clone(),
            server.try_clone(),
        ) else {
            continue;
        };
        shared.sockets.lock().unwrap().extend([c3, s3]);
        let up = {
            let shared = Arc::clone(shared);
            std::thread::spawn(move || frontend(client, server, &shared))
        };
        let down = std::thread::spawn(move || backend(s2, c2));
        shared.threads.lock().unwrap().extend([up, down]);
    }
}

/// Client -> server: each chunk counted, then forwarded.
fn frontend(mut client: TcpStream, mut server: TcpStream, shared: &Shared) {
    let mut parser = Frontend::default();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        match parser.feed(&buf[..n]) {
            Ok(ended) => shared.round_trips.fetch_add(ended, Ordering::SeqCst),
            Err(Malformed) => {
                shared.malformed.store(true, Ordering::SeqCst);
                break;
            }
        };
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
}

/// Server -> client, unchanged.
fn backend(mut server: TcpStream, mut client: TcpStream) {
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
}
