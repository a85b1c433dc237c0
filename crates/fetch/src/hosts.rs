//! Per-host politeness: at most `per_host` requests in flight to one host, and requests to one
//! host started at least `delay` apart (longer when its robots.txt asks, via `Crawl-delay`).
//!
//! Fetch threads call [`Hosts::enter`] before a request and drop the returned [`HostTurn`] after
//! it; a thread waits while its host is busy or rested too little, or until the crawl is asked to
//! stop. It knows nothing of HTTP.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often a waiting thread looks whether newslens is stopping.
const STOP_POLL: Duration = Duration::from_millis(100);

#[derive(Debug, Default)]
struct HostSlot {
    in_flight: usize,
    next_start: Option<Instant>,
    delay: Option<Duration>,
}

/// The hosts being fetched from, and when each may be asked again.
#[derive(Debug)]
pub struct Hosts {
    slots: Mutex<HashMap<String, HostSlot>>,
    changed: Condvar,
    delay: Duration,
    per_host: usize,
}

/// A request's turn at a host; the host is free for the next one when it is dropped.
pub struct HostTurn<'h> {
    hosts: &'h Hosts,
    host: String,
}

impl Hosts {
    /// Hosts asked at least `delay` apart, at most `per_host` requests at a time each.
    pub fn new(delay: Duration, per_host: usize) -> Hosts {
        Hosts {
            slots: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
            delay,
            per_host: per_host.max(1),
        }
    }

    /// Sets a host's own delay (robots.txt `Crawl-delay`), used when longer than the default.
    pub fn set_delay(&self, host: &str, delay: Duration) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(host.to_string()).or_default().delay = Some(delay);
    }

    /// Waits for a turn at `host`; `None` once `stop` is set (looked at every 100 ms at least).
    pub fn enter(&self, host: &str, stop: &AtomicBool) -> Option<HostTurn<'_>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            let now = Instant::now();
            let slot = slots.entry(host.to_string()).or_default();
            let wait = slot
                .next_start
                .map_or(Duration::ZERO, |next| next.saturating_duration_since(now));
            if slot.in_flight < self.per_host && wait.is_zero() {
                slot.in_flight += 1;
                let delay = slot.delay.map_or(self.delay, |own| own.max(self.delay));
                slot.next_start = Some(now + delay);
                return Some(HostTurn {
                    hosts: self,
                    host: host.to_string(),
                });
            }
            // Woken when a turn ends; otherwise wake when the delay has passed.
            let timeout = if wait.is_zero() {
                STOP_POLL
            } else {
                wait.min(STOP_POLL)
            };
            slots = self
                .changed
                .wait_timeout(slots, timeout)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for HostTurn<'_> {
    fn drop(&mut self) {
        let mut slots = self.hosts.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(&self.host) {
            slot.in_flight = slot.in_flight.saturating_sub(1);
        }
        drop(slots);
        self.hosts.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static GO: AtomicBool = AtomicBool::new(false);

    #[test]
    fn a_stop_ends_the_wait_for_a_busy_host() {
        let hosts = Hosts::new(Duration::from_secs(60), 1);
        let _first = hosts.enter("a.example", &GO);
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let stopper = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(150));
                stop.store(true, Ordering::Relaxed);
            })
        };
        assert!(hosts.enter("a.example", &stop).is_none());
        assert!(started.elapsed() < Duration::from_secs(1));
        stopper.join().unwrap();
    }

    #[test]
    fn turns_at_one_host_are_spaced_by_the_delay() {
        let hosts = Hosts::new(Duration::from_millis(50), 4);
        let started = Instant::now();
        for _ in 0..3 {
            drop(hosts.enter("a.example", &GO));
        }
        assert!(started.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn other_hosts_do_not_wait() {
        let hosts = Hosts::new(Duration::from_secs(10), 1);
        let started = Instant::now();
        let _a = hosts.enter("a.example", &GO);
        let _b = hosts.enter("b.example", &GO);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn the_cap_holds_a_second_request_until_the_first_ends() {
        let hosts = std::sync::Arc::new(Hosts::new(Duration::ZERO, 1));
        let first = hosts.enter("a.example", &GO);
        let waiting = {
            let hosts = hosts.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                drop(hosts.enter("a.example", &GO));
                started.elapsed()
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        assert!(waiting.join().unwrap() >= Duration::from_millis(90));
    }
}
