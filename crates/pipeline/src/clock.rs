//! CPU time of the calling thread and of the whole process, for benchmarks and ingest reports.
//!
//! Wall time on a shared machine moves with everything else running; CPU time is steadier. This
//! module only reads clocks.

use std::time::Duration;

/// CPU time the calling thread has used (zero where the system cannot tell).
pub fn thread_cpu_time() -> Duration {
    cpu_clock(Clock::Thread)
}

/// CPU time the whole process has used, all threads (zero where the system cannot tell).
pub fn process_cpu_time() -> Duration {
    cpu_clock(Clock::Process)
}

enum Clock {
    Thread,
    Process,
}

#[cfg(unix)]
fn cpu_clock(clock: Clock) -> Duration {
    let id = match clock {
        Clock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        Clock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
    };
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer and nothing else.
    let status = unsafe { libc::clock_gettime(id, &mut time) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_clock(_clock: Clock) -> Duration {
    Duration::ZERO
}

/// The process's peak resident memory in KiB (Linux's `VmHWM`), 0 elsewhere.
pub fn peak_memory_kib() -> u64 {
    status_kib("VmHWM:")
}

/// The process's resident memory now (`VmRSS`), in KiB; 0 where unknown.
pub fn resident_memory_kib() -> u64 {
    status_kib("VmRSS:")
}

/// A KiB figure of `/proc/self/status`.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}
