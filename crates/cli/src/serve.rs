//! `newslens serve`: the JSON API and the web pages over a corpus database.
//!
//! The server itself lives in `newslens-server`; this module parses the flags, reads the ingest
//! token (from a file, `NEWSLENS_TOKEN` or the flag), starts a tokio runtime with one worker per
//! core and prints where it listens.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use newslens_read::printable;
use newslens_server::{runtime, serve, Limits, Settings, DEFAULT_MAX_BODY};

use crate::database::{shown, DEFAULT_DB};

#[derive(Args)]
pub struct ServeArgs {
    /// The corpus (created empty if missing): an SQLite file, or a PostgreSQL database as
    /// postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    db: String,
    /// Address to listen on. Beyond loopback, a token is required.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token POST /v1/ingest requires (off by default on loopback). Others on the machine
    /// can read a command line (`ps`): prefer --token-file or the NEWSLENS_TOKEN variable.
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    token: Option<String>,
    /// Read the bearer token from this file (its first line). Without it or --token, the token
    /// is the NEWSLENS_TOKEN environment variable when set.
    #[arg(long, value_name = "PATH")]
    token_file: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    max_body: usize,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(args: &ServeArgs) -> Result<()> {
    // Read before the runtime starts, so a bad token is the only thing said.
    let token = token(args)?;
    let limits = Limits::default();
    let runtime = runtime(args.jobs, &limits).context("cannot start the server's threads")?;
    let settings = Settings {
        db: args.db.clone(),
        token,
        max_body: args.max_body,
        limits,
    };
    let db = shown(&args.db);
    runtime
        .block_on(serve(settings, args.addr, |bound| {
            eprintln!("newslens: serving {db} on http://{bound}/ (Ctrl-C to stop)");
        }))
        .with_context(|| format!("cannot serve {db}"))
}

/// The environment variable the ingest token may come from.
const TOKEN_VARIABLE: &str = "NEWSLENS_TOKEN";

/// The ingest token from `--token-file` or `--token` (clap refuses both), else from
/// `NEWSLENS_TOKEN`, trimmed: an HTTP header value loses surrounding white space, so a token with
/// it could never match. A token that is blank (it would count as a secret and let the server
/// listen beyond loopback) or not visible ASCII (no client could send it) is refused.
fn token(args: &ServeArgs) -> Result<Option<String>> {
    let token = match (&args.token_file, &args.token) {
        (Some(path), _) => {
            let shown = printable(&path.display().to_string()).into_owned();
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {shown}"))?;
            let first_line = text.lines().next().unwrap_or("").trim().to_string();
            if first_line.is_empty() {
                bail!("the token file {shown} is blank");
            }
            first_line
        }
        (None, Some(token)) => {
            if token.trim().is_empty() {
                bail!("the token given with --token is blank");
            }
            token.trim().to_string()
        }
        (None, None) => match std::env::var_os(TOKEN_VARIABLE) {
            None => return Ok(None),
            Some(value) => {
                let Some(value) = value.to_str() else {
                    bail!("{TOKEN_VARIABLE} is not UTF-8");
                };
                if value.trim().is_empty() {
                    bail!("{TOKEN_VARIABLE} is set but blank: set a real token, or unset it");
                }
                value.trim().to_string()
            }
        },
    };
    if !token.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        bail!("the token must be visible ASCII characters, which a client can send in a header");
    }
    Ok(Some(token))
}
