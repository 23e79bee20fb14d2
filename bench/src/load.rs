//! Closed-loop load: `clients` tasks each send one request after another until the time is up.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::stats::{Summary, summarise};

/// One request; the argument is a sequence number shared by all clients (to pick ids).
pub type Call =
    Arc<dyn Fn(u64) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// Makes a [`Call`] from an async closure.
pub fn call<F, Fut>(f: F) -> Call
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    Arc::new(move |n| Box::pin(f(n)))
}

/// Runs `call` from `clients` concurrent clients for `duration`. `sequence` numbers the
/// requests (shared across runs when ids must not repeat).
pub async fn drive(
    call: Call,
    clients: usize,
    duration: Duration,
    sequence: Arc<AtomicU64>,
) -> Summary {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients.max(1) {
        let call = call.clone();
        let sequence = sequence.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            while Instant::now() < deadline {
                let n = sequence.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                match call(n).await {
                    Ok(()) => latencies.push(t.elapsed().as_secs_f64() * 1000.0),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for task in tasks {
        match task.await {
            Ok((l, e, f)) => {
                latencies.extend(l);
                errors += e;
                if first_error.is_none() {
                    first_error = f;
                }
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(format!("client task failed: {e}"));
            }
        }
    }
    summarise(
        latencies,
        errors,
        started.elapsed().as_secs_f64(),
        first_error,
    )
}

/// The resident set size of a process in kB (`VmRSS` of /proc/<pid>/status), if readable.
pub fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples the RSS of `pid` every 50 ms until stopped; returns the peak in kB.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<u64>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let mut peak = rss_kb(pid).unwrap_or(0);
            while !flag.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(50)).await;
                peak = peak.max(rss_kb(pid).unwrap_or(0));
            }
            peak
        });
        Self { stop, task }
    }

    pub async fn peak_kb(self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.ok().filter(|kb| *kb > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_successes_and_failures() {
        let c = call(|n| async move {
            tokio::time::sleep(Duration::from_millis(2)).await;
            if n % 2 == 0 {
                Ok(())
            } else {
                Err(format!("odd {n}"))
            }
        });
        let s = drive(c, 4, Duration::from_millis(100), Arc::default()).await;
        assert!(s.requests > 4 && s.errors > 4, "{s:?}");
        assert!(s.requests.abs_diff(s.errors) <= 4);
        assert!(s.p50_ms >= 2.0);
        assert!(s.first_error.unwrap().starts_with("odd"));
    }

    #[test]
    fn reads_own_rss() {
        assert!(rss_kb(std::process::id()).unwrap() > 0);
    }
}
