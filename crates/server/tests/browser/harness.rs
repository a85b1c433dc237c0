//! What the browser tests stand on: the example corpus in a temporary directory, the real server on
//! a free loopback port, a `chromedriver` child process driving headless Chromium, raw HTTP requests
//! for what a browser does not show (headers, the ingest API), and screenshots kept as test
//! artefacts.
//!
//! It checks nothing about the pages; `main.rs` does that.

use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use newslens_pipeline::{
    ingest, records_of, Chunks, Event, Pipeline, Settings as PipelineSettings,
};
use newslens_server::{app, AppState, Limits, Settings, DEFAULT_MAX_BODY};
use newslens_store::SqliteStore;

/// Debian's `chromium`.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's `chromium-driver`.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Set to `1` (CI does) to fail rather than skip when the browser is missing.
pub const REQUIRE_BROWSER: &str = "NEWSLENS_REQUIRE_BROWSER";

/// How long to wait for a page's element, chromedriver or Chromium. Generous: the machine may be
/// busy building something else, and a wait ends as soon as the thing is there.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The project's example articles (invented text): three outlets' coverage of the bridge vote and
/// one library story as JSON lines, and one more bridge article as plain text.
const EXAMPLES: [&str; 2] = ["portmere-coverage.jsonl", "harbour-bridge.txt"];

/// Whether Chromium and chromedriver are installed. When they are not, prints a one-line notice
/// and answers false, so `cargo test --workspace` passes on a fresh machine; with
/// `NEWSLENS_REQUIRE_BROWSER=1` it panics instead, so CI, which installs them, cannot skip.
pub fn browser_installed() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var(REQUIRE_BROWSER).is_ok_and(|value| value == "1") {
        panic!(
            "{REQUIRE_BROWSER}=1 but {} missing: install chromium and chromium-driver",
            missing.join(" and ")
        );
    }
    eprintln!("browser tests skipped: install chromium and chromium-driver");
    false
}

/// A corpus database in a temporary directory, deleted on drop.
pub struct Corpus {
    dir: tempfile::TempDir,
}

impl Corpus {
    /// The database file.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("corpus.db")
    }
}

/// The example articles read, analysed and stored the way `newslens ingest` does, with stories
/// grouped.
pub fn example_corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("temporary directory");
    let corpus = Corpus { dir };
    let mut store = SqliteStore::open(corpus.db()).expect("open the corpus");
    let examples_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let paths: Vec<String> = EXAMPLES
        .iter()
        .map(|example| examples_dir.join(example).display().to_string())
        .collect();
    let pipeline = Pipeline::new(PipelineSettings::default()).expect("start the analysis threads");
    let records = records_of(&paths, &pipeline.settings().read);
    let report = ingest(&pipeline, &mut store, Chunks::new(records), &mut |event| {
        if let Event::Failed(error) = event {
            panic!("{error}");
        }
    })
    .expect("store the examples and group the stories");
    assert!(report.stored.outcome.added > 0);
    corpus
}

/// Starts the whole application (API, pages, headers) on a free loopback port in a background
/// task, and answers its base URL. The task ends with the test's runtime.
///
/// This is `newslens_server::serve` without its Ctrl-C handler, which would keep a test binary
/// running after the reader pressed Ctrl-C.
pub async fn start_server(corpus: &Corpus) -> String {
    let state = AppState::open(Settings {
        db: corpus.db().display().to_string(),
        token: None,
        max_body: DEFAULT_MAX_BODY,
        loaded: Default::default(),
        limits: Limits::default(),
    })
    .expect("open the corpus for serving");
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, app(state))
            .await
            .expect("the server stopped");
    });
    format!("http://{addr}")
}

/// A raw HTTP answer: what a browser does not show.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body as text (chunked encoding left as sent).
    pub body: String,
}

impl Answer {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One HTTP/1.1 request over a fresh connection, read until the server closes it.
pub async fn raw_request(
    base: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &str)>,
) -> Answer {
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host)
        .await
        .expect("connect to the server");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some((content_type, content)) = body {
        request.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            content.len()
        ));
    }
    request.push_str("\r\n");
    if let Some((_, content)) = body {
        request.push_str(content);
    }
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read the answer");
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A `chromedriver` child process, killed on drop (so also when a test fails).
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    async fn start() -> Chromedriver {
        // A port the system just handed out and let go; chromedriver takes it a moment later.
        let port = StdTcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("{CHROMEDRIVER}: {error}"));
        let mut driver = Chromedriver { child, port };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} exited before listening: {status}");
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{CHROMEDRIVER} not listening on {addr} after {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session with a fresh profile, pointed at one server.
pub struct Browser {
    client: Client,
    base: String,
    screenshots: PathBuf,
    // Dropped after the client: the driver's process, then the profile directory.
    _driver: Chromedriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a Chromium session for the server at `base`.
    pub async fn start(base: &str) -> Browser {
        let driver = Chromedriver::start().await;
        let profile = tempfile::tempdir().expect("a profile directory");
        let args = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--no-first-run".to_string(),
            "--disable-sync".to_string(),
            "--disable-quic".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
            "--window-size=1280,1600".to_string(),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|error| panic!("start a Chromium session: {error}"));
        let screenshots = screenshot_dir();
        std::fs::create_dir_all(&screenshots)
            .unwrap_or_else(|error| panic!("{}: {error}", screenshots.display()));
        let screenshots = screenshots.canonicalize().unwrap_or(screenshots);
        Browser {
            client,
            base: base.to_string(),
            screenshots,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Opens a path of the server, as typing it in the address bar would.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|error| panic!("open {url}: {error}"));
    }

    /// The first element matching `css`, waiting for it to appear (after a click that navigates,
    /// say).
    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(error) => panic!("no {css} on {}: {error}", self.url().await),
        }
    }

    /// Every element matching `css` now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("find {css}: {error}"))
    }

    /// The first element matching an XPath expression, waiting for it.
    pub async fn wait_for_xpath(&self, xpath: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await
        {
            Ok(element) => element,
            Err(error) => panic!("no {xpath} on {}: {error}", self.url().await),
        }
    }

    /// Runs a script in the page (WebDriver's, not the page's: the page's policy does not apply)
    /// and answers its value.
    pub async fn execute(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|error| panic!("execute {script}: {error}"))
    }

    /// Panics when the page is wider than the window, so the reader would scroll sideways: a long
    /// unbroken title or name pushing past its column, say.
    pub async fn assert_fits_the_window(&self) {
        let widths = self
            .execute(
                "const root = document.documentElement;
                 return [root.scrollWidth, root.clientWidth];",
            )
            .await;
        let (page, window) = (widths[0].as_i64(), widths[1].as_i64());
        assert!(
            page <= window,
            "{}: the page is {page:?}px wide in a {window:?}px window",
            self.url().await
        );
    }

    /// The address of the page shown.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map_or_else(|error| format!("(no url: {error})"), |url| url.to_string())
    }

    /// Saves what the window shows as `<name>.png` in the screenshot folder and prints its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|error| panic!("screenshot {name}: {error}"));
        let path = self.screenshots.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        println!("screenshot: {}", path.display());
        path
    }

    /// Ends the Chromium session; chromedriver is killed when the browser drops.
    pub async fn close(self) {
        let Browser { client, .. } = self;
        let _ = client.close().await;
    }
}

/// `target/e2e-screenshots/`: under `CARGO_TARGET_DIR` when it is set (relative to the workspace
/// when relative), else under the workspace's `target/`.
pub fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    target.join("e2e-screenshots")
}
