//! `newslens serve`: the JSON API and the web pages over a corpus database.
//!
//! The server itself lives in `newslens-server`; this module parses the flags, starts a tokio
//! runtime with one worker per core and prints where it listens.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use newslens_server::{runtime, serve, Limits, Settings, DEFAULT_MAX_BODY};

#[derive(Args)]
pub struct ServeArgs {
    /// The corpus database (created empty if missing).
    #[arg(long, value_name = "PATH", default_value = "newslens.db")]
    db: PathBuf,
    /// Address to listen on. Beyond loopback, a token is required.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token POST /v1/ingest requires (off by default on loopback).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "NEWSLENS_TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    max_body: usize,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(args: &ServeArgs) -> Result<()> {
    let limits = Limits::default();
    let runtime = runtime(args.jobs, &limits).context("cannot start the server's threads")?;
    let settings = Settings {
        db: args.db.clone(),
        token: args.token.clone().filter(|token| !token.is_empty()),
        max_body: args.max_body,
        limits,
    };
    let db = args.db.display().to_string();
    runtime
        .block_on(serve(settings, args.addr, |bound| {
            eprintln!("newslens: serving {db} on http://{bound}/ (Ctrl-C to stop)");
        }))
        .with_context(|| format!("cannot serve {db}"))
}
