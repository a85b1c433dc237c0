//! The `newslens` command line: argument parsing and dispatch to the commands.
//!
//! Each command lives in its own module; this file only parses arguments, runs the command and
//! turns its outcome into an exit status (0 when every input succeeded, 1 when any failed, 2 for
//! usage errors). A closed pipe (`newslens analyze … | head`) ends the program quietly.

mod analyze;
mod eval;
mod output;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// newslens: who said what, about whom, when — and how each outlet told the story.
#[derive(Parser)]
#[command(name = "newslens", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles (.txt, .html, .jsonl, .warc, .warc.gz files, folders, or - for stdin)
    /// into the newslens.article/1 JSON contract.
    Analyze(analyze::AnalyzeArgs),
    /// Score an extractor against gold data (precision, recall, F1).
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Train a model from the development data and write the file the binary ships.
    #[command(subcommand)]
    Train(train::TrainCommand),
}

fn main() -> ExitCode {
    // A panic inside one input is caught and reported as that input's one error line; the default
    // hook would print a second, multi-line message.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Eval(command) => eval::run(&command).map(|()| 0),
        Command::Train(command) => train::run(&command).map(|()| 0),
    };
    match outcome {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("newslens: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
