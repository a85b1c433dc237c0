//! `newslens serve` and its ingest token end to end: where the token may come from (a file, the
//! environment, the flag), and the blank tokens it refuses before listening.
//!
//! Each test runs the real binary on a loopback port the system picks, and talks raw HTTP/1.1 to
//! it; nothing here checks the API itself (`crates/server/tests` does).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};

fn serve(args: &[&str], token_variable: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newslens"));
    command.arg("serve").args(args);
    command.env_remove("NEWSLENS_TOKEN");
    if let Some(value) = token_variable {
        command.env("NEWSLENS_TOKEN", value);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn refused(mut command: Command) -> Output {
    command.output().expect("the binary runs")
}

/// A server that runs until dropped, and the address it said it listens on.
struct Running {
    child: Child,
    addr: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(mut command: Command) -> Running {
    let mut child = command.spawn().expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Running { child, addr }
}

/// The status code of `POST /v1/ingest` with this Authorization header.
fn ingest_status(server: &Running, authorization: Option<&str>) -> u16 {
    let body = "{\"text\":\"The council met on Tuesday.\"}";
    post(server, "/v1/ingest", authorization, body).0
}

#[test]
fn a_blank_token_is_refused_from_the_flag_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    for (args, variable) in [
        (
            vec!["--db", &db, "--addr", "0.0.0.0:0", "--token", " "],
            None,
        ),
        (vec!["--db", &db, "--addr", "0.0.0.0:0"], Some(" ")),
        (vec!["--db", &db, "--addr", "127.0.0.1:0"], Some("\t")),
    ] {
        let output = refused(serve(&args, variable));
        let errors = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?} {variable:?}: {errors}"
        );
        assert!(errors.contains("blank"), "{errors}");
        assert_eq!(errors.lines().count(), 1, "{errors}");
    }
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "  \n").unwrap();
    let token_file = token_file.display().to_string();
    let output = refused(serve(
        &[
            "--db",
            &db,
            "--addr",
            "0.0.0.0:0",
            "--token-file",
            &token_file,
        ],
        None,
    ));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is blank"));
}

#[test]
fn the_token_can_come_from_a_file_kept_off_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let token_file = token_file.display().to_string();
    let server = start(serve(
        &[
            "--db",
            &db,
            "--addr",
            "127.0.0.1:0",
            "--token-file",
            &token_file,
        ],
        None,
    ));
    assert_eq!(ingest_status(&server, None), 401);
    assert_eq!(ingest_status(&server, Some("Bearer wrong")), 401);
    assert_eq!(ingest_status(&server, Some("Bearer s3cret-token")), 200);
}

#[test]
fn the_token_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let server = start(serve(
        &["--db", &db, "--addr", "127.0.0.1:0"],
        Some("from-the-environment"),
    ));
    assert_eq!(ingest_status(&server, None), 401);
    assert_eq!(
        ingest_status(&server, Some("Bearer from-the-environment")),
        200
    );
}

#[test]
fn the_token_flag_and_file_together_are_a_usage_error() {
    let output = refused(serve(&["--token", "a", "--token-file", "b"], None));
    assert_eq!(output.status.code(), Some(2));
}

/// The answer to `POST path` with a JSON body and this Authorization header: status and body.
fn post(server: &Running, path: &str, authorization: Option<&str>, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let auth = authorization.map_or(String::new(), |value| format!("Authorization: {value}\r\n"));
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_string())
}

#[test]
fn the_encoder_mode_serves_the_same_loaded_language_as_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let text = "The mayor's disgraceful, reckless scheme is a shameless betrayal of every honest \
                taxpayer, a corrupt stunt by a cowardly clique.";
    let server = start(serve(
        &["--db", &db, "--addr", "127.0.0.1:0", "--loaded", "encoder"],
        None,
    ));
    let body = serde_json::json!({ "text": text }).to_string();
    let (status, answer) = post(&server, "/v1/analyze", None, &body);
    assert_eq!(status, 200, "{answer}");
    let served: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let path = dir.path().join("opinion.txt");
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args([
            "analyze",
            &path.display().to_string(),
            "--loaded",
            "encoder",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!printed["loaded"].as_array().unwrap().is_empty());
    assert_eq!(served["loaded"], printed["loaded"]);
}
