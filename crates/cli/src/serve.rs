//! `newslens serve`: the JSON API and the web pages over a corpus database.
//!
//! The server itself lives in `newslens-server`; this module parses the flags, reads the ingest
//! token (from a file, `NEWSLENS_TOKEN` or the flag), turns the limit flags into the server's
//! `Limits` (a flag not given keeps `Limits::default()`), starts a tokio runtime with one worker
//! per core and prints where it listens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;

use newslens_fetch::parse_duration;
use newslens_read::printable;
use newslens_server::{runtime, serve_with_outlets, Limits, Settings, DEFAULT_MAX_BODY};

use crate::analyze::LoadedArgs;
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
    /// Outlet names of your own for the outlet pages and /v1/outlets (the format of
    /// `newslens outlets --outlets`).
    #[arg(long, value_name = "FILE")]
    outlets: Option<String>,
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
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    loaded: LoadedArgs,
}

/// The server's limits (issue 17); each flag left out keeps `Limits::default()`, named here.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// Most open connections; a new one beyond closes the oldest [default: half the open-file
    /// limit, at most 10000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
    /// Most requests handled at once; more are answered 503 with Retry-After [default: 128].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_in_flight: Option<u64>,
    /// Database read connections [default: two per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    readers: Option<u64>,
    /// How long a request waits for a free read connection before 503 [default: 1s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    reader_wait: Option<Duration>,
    /// How long one request's database reads may run before the database stops them
    /// [default: 5s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    read_budget: Option<Duration>,
    /// How long a read connection may sit unused before it is closed, giving back its page
    /// cache [default: 5s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    reader_idle: Option<Duration>,
    /// How long a request may take in all, then 503 with Retry-After; ingest excepted
    /// [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    request_timeout: Option<Duration>,
    /// How long a connection may take to send a request head, from its opening or its last
    /// answer; so also how long an idle keep-alive connection is kept [default: 10s].
    #[arg(long, visible_alias = "idle-timeout", value_name = "DURATION", value_parser = parse_duration)]
    header_timeout: Option<Duration>,
    /// How long a request body may stall between two chunks, then 408 [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    body_timeout: Option<Duration>,
    /// How long one posted document may take to read and analyse, then 422 naming it (each
    /// record of an ingest fails alone) [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    analysis_budget: Option<Duration>,
}

impl LimitArgs {
    /// `Limits::default()` with the flags given put in.
    fn limits(&self) -> Limits {
        let defaults = Limits::default();
        let count = |flag: Option<u64>, default: usize| {
            flag.map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        Limits {
            max_connections: count(self.max_connections, defaults.max_connections),
            max_in_flight: count(self.max_in_flight, defaults.max_in_flight),
            readers: count(self.readers, defaults.readers),
            reader_wait: self.reader_wait.unwrap_or(defaults.reader_wait),
            read_budget: self.read_budget.unwrap_or(defaults.read_budget),
            reader_idle: self.reader_idle.unwrap_or(defaults.reader_idle),
            request_timeout: self.request_timeout.unwrap_or(defaults.request_timeout),
            header_timeout: self.header_timeout.unwrap_or(defaults.header_timeout),
            body_timeout: self.body_timeout.unwrap_or(defaults.body_timeout),
            analysis_budget: self.analysis_budget.unwrap_or(defaults.analysis_budget),
        }
    }
}

pub fn run(args: &ServeArgs) -> Result<()> {
    // Read before the runtime starts, so a bad token is the only thing said.
    let token = token(args)?;
    let outlet_names = match &args.outlets {
        Some(path) => newslens_store::OutletNames::with_file(path)?,
        None => newslens_store::OutletNames::built_in(),
    };
    let limits = args.limits.limits();
    let runtime = runtime(args.jobs, &limits).context("cannot start the server's threads")?;
    let settings = Settings {
        db: args.db.clone(),
        token,
        max_body: args.max_body,
        limits,
        loaded: args.loaded.tagger()?,
    };
    let db = shown(&args.db);
    runtime
        .block_on(serve_with_outlets(
            settings,
            outlet_names,
            args.addr,
            |bound| {
                eprintln!("newslens: serving {db} on http://{bound}/ (Ctrl-C to stop)");
            },
        ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn limits_of(flags: &[&str]) -> Limits {
        let argv = std::iter::once("serve").chain(flags.iter().copied());
        Serve::try_parse_from(argv)
            .expect("the flags parse")
            .args
            .limits
            .limits()
    }

    #[test]
    fn without_flags_the_limits_are_the_defaults() {
        let (given, defaults) = (limits_of(&[]), Limits::default());
        assert_eq!(format!("{given:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn every_limit_flag_reaches_the_limits() {
        let limits = limits_of(&[
            "--max-connections=7",
            "--max-in-flight=6",
            "--readers=5",
            "--reader-wait=250ms",
            "--read-budget=2s",
            "--reader-idle=1m",
            "--request-timeout=1m",
            "--idle-timeout=3s",
            "--body-timeout=4s",
            "--analysis-budget=1500ms",
        ]);
        assert_eq!(limits.max_connections, 7);
        assert_eq!(limits.max_in_flight, 6);
        assert_eq!(limits.readers, 5);
        assert_eq!(limits.reader_wait, Duration::from_millis(250));
        assert_eq!(limits.read_budget, Duration::from_secs(2));
        assert_eq!(limits.reader_idle, Duration::from_secs(60));
        assert_eq!(limits.request_timeout, Duration::from_secs(60));
        assert_eq!(limits.header_timeout, Duration::from_secs(3));
        assert_eq!(limits.body_timeout, Duration::from_secs(4));
        assert_eq!(limits.analysis_budget, Duration::from_millis(1500));
        assert_eq!(
            limits_of(&["--header-timeout=9s"]).header_timeout,
            Duration::from_secs(9)
        );
    }

    #[test]
    fn a_zero_count_or_a_bad_duration_is_refused() {
        for flags in [["--max-in-flight=0"], ["--request-timeout=soon"]] {
            let argv = std::iter::once("serve").chain(flags.iter().copied());
            assert!(Serve::try_parse_from(argv).is_err(), "{flags:?}");
        }
    }
}
