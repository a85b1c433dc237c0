//! `newslens queue status`, and the queue flags every queue command shares (`submit`, `worker`,
//! `queue status`): the server, N deliveries before a dead letter, the ack wait.
//!
//! This module parses and prints; the counting is `newslens_queue::status`.

use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_fetch::parse_duration;
use newslens_queue::{status, QueueSettings};
use newslens_read::printable;

/// Where the queue is and how it treats failures.
#[derive(Args, Clone)]
pub struct QueueArgs {
    /// The NATS server with JetStream (`nats-server -js`).
    #[arg(long = "queue", value_name = "nats://HOST:PORT")]
    pub server: String,
    /// Deliveries a record may fail before it goes to the dead letters (newslens.dead).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_deliveries: u32,
    /// How long a worker may hold a record without a word before it is given to another worker;
    /// set when the queue is first used.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub ack_wait: Duration,
}

impl QueueArgs {
    pub fn settings(&self) -> QueueSettings {
        QueueSettings {
            url: self.server.clone(),
            max_deliveries: self.max_deliveries.max(1),
            ack_wait: self.ack_wait,
        }
    }
}

#[derive(Subcommand)]
pub enum QueueCommand {
    /// Records pending, in flight and dead-lettered, with the newest dead letters' reasons.
    Status(StatusArgs),
}

#[derive(Args)]
pub struct StatusArgs {
    #[command(flatten)]
    queue: QueueArgs,
    /// Dead letters listed, newest first.
    #[arg(long, value_name = "N", default_value_t = 10)]
    dead: usize,
}

pub fn run(command: &QueueCommand) -> Result<()> {
    match command {
        QueueCommand::Status(args) => {
            let settings = args.queue.settings();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let status = runtime
                .block_on(status(&settings, args.dead))
                .with_context(|| format!("cannot read the queue at {}", settings.url))?;
            println!(
                "queue {}: {} pending, {} in flight, {} dead-lettered ({} redelivered; {} workers waiting; ack wait {} s)",
                settings.url,
                status.pending,
                status.in_flight,
                status.dead,
                status.redelivered,
                status.waiting_pulls,
                status.ack_wait.as_secs_f64()
            );
            for dead in &status.recent_dead {
                println!(
                    "  dead #{}: {} after {} deliveries: {}",
                    dead.sequence,
                    printable(&dead.origin),
                    dead.deliveries,
                    printable(&dead.reason)
                );
            }
            Ok(())
        }
    }
}
