//! A made-up news site on 127.0.0.1 for tests (feature `test-site`, off by default): a tiny
//! HTTP/1.1 server with fixed answers per path, ETags with 304s, redirects, slow and busy answers,
//! counting the requests each path received.
//!
//! One thread per connection, `Connection: close` on every answer; enough for tests, not a web
//! server. The fixtures (`tests/fixtures/site`, written for these tests) have `{base}` replaced
//! by the server's own `http://127.0.0.1:PORT`. The fetch crate's tests and the CLI's web tests
//! share it; nothing else should.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The fixture site's folder.
pub fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

/// What a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status, a Content-Type and a body (`{base}` replaced); with an ETag, a matching
    /// If-None-Match gets a 304.
    Body {
        /// The status.
        status: u16,
        /// The Content-Type.
        content_type: String,
        /// The body.
        body: Vec<u8>,
        /// The ETag, quoted.
        etag: Option<String>,
    },
    /// A status with these headers and these bytes as they are (no `{base}`): for encodings
    /// and odd answers.
    Raw(u16, Vec<(String, String)>, Vec<u8>),
    /// Answers the reply after a wait the first time, at once afterwards.
    SlowOnce(Duration, Box<Reply>),
    /// A redirect to a path or URL.
    Redirect(String),
    /// Answers after this long.
    Slow(Duration),
    /// 503 with `Retry-After: 0` this many times, then the reply.
    Unavailable(usize, Box<Reply>),
}

impl Reply {
    /// A 200 HTML page.
    pub fn html(body: &str) -> Reply {
        Reply::body(200, "text/html; charset=utf-8", body.as_bytes())
    }

    /// Any status, type and body.
    pub fn body(status: u16, content_type: &str, body: &[u8]) -> Reply {
        Reply::Body {
            status,
            content_type: content_type.to_string(),
            body: body.to_vec(),
            etag: None,
        }
    }

    /// The same reply with an ETag (`tag` is quoted here).
    pub fn with_etag(self, tag: &str) -> Reply {
        match self {
            Reply::Body {
                status,
                content_type,
                body,
                ..
            } => Reply::Body {
                status,
                content_type,
                body,
                etag: Some(format!("\"{tag}\"")),
            },
            other => other,
        }
    }
}

/// A running server; it stops with the test process.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    /// Starts serving `routes` (path → reply); anything else is a 404.
    pub fn start(routes: HashMap<String, Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: HashMap<String, Reply> = routes
            .into_iter()
            .map(|(path, reply)| (path, with_base(reply, &base)))
            .collect();
        let routes = Arc::new(Mutex::new(routes));
        let hits = Arc::new(Mutex::new(HashMap::new()));
        {
            let (routes, hits) = (routes.clone(), hits.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let (routes, hits) = (routes.clone(), hits.clone());
                    std::thread::spawn(move || answer(stream, &routes, &hits));
                }
            });
        }
        Server { base, routes, hits }
    }

    /// Serves the files of a fixture folder at their relative paths (`/feed.xml`…), plus `extra`.
    pub fn with_fixtures(dir: &Path, extra: Vec<(&str, Reply)>) -> Server {
        let mut routes = HashMap::new();
        add_files(dir, dir, &mut routes);
        for (path, reply) in extra {
            routes.insert(path.to_string(), reply);
        }
        Server::start(routes)
    }

    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests a path received (query included).
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// The User-Agents requests came with.
    pub fn user_agents(&self) -> Vec<String> {
        let hits = self.hits.lock().unwrap();
        let mut agents: Vec<String> = hits
            .keys()
            .filter_map(|key| key.strip_prefix("user-agent: "))
            .map(str::to_string)
            .collect();
        agents.sort();
        agents
    }

    /// Every request path and its count (and `user-agent: …` keys).
    pub fn all_hits(&self) -> HashMap<String, usize> {
        self.hits.lock().unwrap().clone()
    }

    /// Changes what a path answers.
    pub fn set(&self, path: &str, reply: Reply) {
        let reply = with_base(reply, &self.base);
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }
}

fn add_files(root: &Path, dir: &Path, routes: &mut HashMap<String, Reply>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            add_files(root, &path, routes);
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let content_type = match path.extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("xml") if relative.contains("sitemap") => "application/xml",
            Some("xml") => "application/rss+xml",
            Some("atom") => "application/atom+xml",
            Some("json") => "application/feed+json",
            _ => "text/plain",
        };
        let body = std::fs::read(&path).unwrap();
        routes.insert(
            format!("/{relative}"),
            Reply::body(200, content_type, &body),
        );
    }
}

fn with_base(reply: Reply, base: &str) -> Reply {
    match reply {
        Reply::Body {
            status,
            content_type,
            body,
            etag,
        } => Reply::Body {
            status,
            content_type,
            body: String::from_utf8_lossy(&body)
                .replace("{base}", base)
                .into_bytes(),
            etag,
        },
        Reply::Unavailable(n, inner) => Reply::Unavailable(n, Box::new(with_base(*inner, base))),
        Reply::SlowOnce(wait, inner) => Reply::SlowOnce(wait, Box::new(with_base(*inner, base))),
        other => other,
    }
}

fn answer(
    stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    hits: &Mutex<HashMap<String, usize>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut if_none_match = None;
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_string());
            }
            if name.trim().eq_ignore_ascii_case("user-agent") {
                user_agent = value.trim().to_string();
            }
        }
    }
    let n_hits = {
        let mut hits = hits.lock().unwrap();
        *hits.entry(format!("user-agent: {user_agent}")).or_insert(0) += 1;
        let count = hits.entry(path.clone()).or_insert(0);
        *count += 1;
        *count
    };
    let reply = routes.lock().unwrap().get(&path).cloned();
    let mut stream = stream;
    write_reply(&mut stream, reply, n_hits, if_none_match.as_deref());
}

fn write_reply(
    stream: &mut TcpStream,
    reply: Option<Reply>,
    n_hits: usize,
    if_none_match: Option<&str>,
) {
    match reply {
        None => respond(
            stream,
            404,
            "text/html",
            &[],
            b"<html><body><p>Not found</p></body></html>",
        ),
        Some(Reply::SlowOnce(wait, inner)) => {
            if n_hits == 1 {
                std::thread::sleep(wait);
            }
            write_reply(stream, Some(*inner), n_hits, if_none_match);
        }
        Some(Reply::Raw(status, headers, body)) => {
            let content_type = headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                .map_or("text/html", |(_, value)| value.as_str());
            let others: Vec<(&str, &str)> = headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            respond(stream, status, content_type, &others, &body)
        }
        Some(Reply::Redirect(location)) => {
            respond(stream, 302, "text/plain", &[("Location", &location)], b"")
        }
        Some(Reply::Slow(wait)) => {
            std::thread::sleep(wait);
            respond(
                stream,
                200,
                "text/html",
                &[],
                b"<html><body><p>Too late</p></body></html>",
            );
        }
        Some(Reply::Unavailable(n, inner)) => {
            if n_hits <= n {
                respond(stream, 503, "text/plain", &[("Retry-After", "0")], b"busy");
            } else {
                write_reply(stream, Some(*inner), n_hits, if_none_match);
            }
        }
        Some(Reply::Body {
            status,
            content_type,
            body,
            etag,
        }) => match etag {
            Some(tag) if if_none_match == Some(tag.as_str()) => {
                respond(stream, 304, &content_type, &[("ETag", &tag)], b"")
            }
            Some(tag) => respond(stream, status, &content_type, &[("ETag", &tag)], &body),
            None => respond(stream, status, &content_type, &[], &body),
        },
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}
