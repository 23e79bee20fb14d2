//! Latency statistics of one load run.

/// What one run of one scenario at one concurrency measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Requests that succeeded.
    pub requests: u64,
    /// Requests that failed (transport error or a status outside 2xx).
    pub errors: u64,
    /// Wall time of the run in seconds.
    pub seconds: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// The first failure, to tell what went wrong.
    pub first_error: Option<String>,
}

impl Summary {
    /// Successful requests per second.
    pub fn throughput(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// The nearest-rank percentile `q` (0–100) of sorted values; 0 when there are none.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Summarises the latencies (ms) of successful requests.
pub fn summarise(
    mut latencies_ms: Vec<f64>,
    errors: u64,
    seconds: f64,
    first_error: Option<String>,
) -> Summary {
    latencies_ms.sort_by(f64::total_cmp);
    Summary {
        requests: latencies_ms.len() as u64,
        errors,
        seconds,
        p50_ms: percentile(&latencies_ms, 50.0),
        p95_ms: percentile(&latencies_ms, 95.0),
        p99_ms: percentile(&latencies_ms, 99.0),
        first_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), 50.0);
        assert_eq!(percentile(&values, 95.0), 95.0);
        assert_eq!(percentile(&values, 99.0), 99.0);
        assert_eq!(percentile(&values, 100.0), 100.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }

    #[test]
    fn summary_sorts_and_counts() {
        let s = summarise(vec![3.0, 1.0, 2.0, 4.0], 2, 2.0, Some("x".into()));
        assert_eq!((s.requests, s.errors), (4, 2));
        assert_eq!((s.p50_ms, s.p99_ms), (2.0, 4.0));
        assert_eq!(s.throughput(), 2.0);
    }
}
