//! The results as Markdown: the table printed to stdout and bench/RESULTS.md.

use crate::{Measurement, Results};

/// Column headers of the results table.
pub const HEADER: &[&str] = &[
    "场景",
    "用户",
    "并发",
    "请求/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "错误",
    "SQL 请求/s",
    "SQL p95 ms",
    "API/SQL p95",
    "RSS MB",
];

fn ms(v: f64) -> String {
    format!("{v:.2}")
}

/// One Markdown row of the table.
pub fn row(m: &Measurement) -> String {
    let (raw_rps, raw_p95) = match &m.raw {
        Some(r) => (format!("{:.0}", r.throughput()), ms(r.p95_ms)),
        None => ("—".to_owned(), "—".to_owned()),
    };
    let cells = [
        m.scenario.clone(),
        m.who.label().to_owned(),
        m.clients.to_string(),
        format!("{:.0}", m.api.throughput()),
        ms(m.api.p50_ms),
        ms(m.api.p95_ms),
        ms(m.api.p99_ms),
        m.api.errors.to_string(),
        raw_rps,
        raw_p95,
        m.ratio().map_or("—".to_owned(), |r| format!("{r:.1}×")),
        m.rss_kb
            .map_or("—".to_owned(), |kb| format!("{:.0}", kb as f64 / 1024.0)),
    ];
    format!("| {} |", cells.join(" | "))
}

/// The whole table.
pub fn table(results: &Results) -> String {
    let mut lines = vec![
        format!("| {} |", HEADER.join(" | ")),
        format!("|{}", "---|".repeat(HEADER.len())),
    ];
    lines.extend(results.measurements.iter().map(row));
    lines.join("\n") + "\n"
}

/// The first error of every run that had errors.
pub fn errors(results: &Results) -> String {
    let mut out = String::new();
    for m in &results.measurements {
        if let Some(e) = &m.api.first_error {
            out.push_str(&format!(
                "- {} / {} / {} 并发: {} 个错误, 例: `{}`\n",
                m.scenario,
                m.who.label(),
                m.clients,
                m.api.errors,
                e.replace('`', "'")
            ));
        }
    }
    out
}

/// Plan checks of the enterprise user's statements.
pub fn plans(results: &Results) -> String {
    if results.plans.is_empty() {
        return "（未检查：只在 PostgreSQL 上运行 EXPLAIN）\n".to_owned();
    }
    let mut out = String::new();
    for p in &results.plans {
        let first = p.plan.lines().next().unwrap_or("").trim();
        out.push_str(&format!(
            "- {} {}: `{}`\n",
            if p.seq_scan_on_equipment {
                "**Seq Scan on equipment**"
            } else {
                "ok"
            },
            p.scenario,
            first.replace('`', "'")
        ));
    }
    let scans: Vec<&crate::PlanCheck> = results
        .plans
        .iter()
        .filter(|p| p.seq_scan_on_equipment)
        .collect();
    for p in scans {
        out.push_str(&format!(
            "\n{}:\n\n```\n{}\n{}\n```\n",
            p.scenario, p.statement, p.plan
        ));
    }
    out
}

/// Targets of issue 7 item 3 that the table can answer, each met or missed (measured, never
/// asserted).
pub fn targets(results: &Results, wasm_gzip_bytes: Option<u64>) -> String {
    let mut out = String::new();
    let mut line = |ok: bool, text: String| {
        out.push_str(&format!(
            "- {} {text}\n",
            if ok { "达标" } else { "**未达标**" }
        ));
    };
    for m in results
        .measurements
        .iter()
        .filter(|m| m.clients == 8 && m.raw.is_some())
    {
        let raw = m.raw.as_ref().map_or(0.0, |r| r.p95_ms);
        let limit = if m.scenario.starts_with("设备总览") {
            10.0
        } else {
            25.0
        };
        let ok = m.api.errors == 0
            && m.api.requests > 0
            && m.api.p95_ms <= limit
            && m.api.p95_ms <= 2.0 * raw + 2.0;
        line(
            ok,
            format!(
                "{} / {}: p95 {:.2} ms at 8 clients (≤ {limit} ms and ≤ 2 × {raw:.2} + 2 ms)",
                m.scenario,
                m.who.label(),
                m.api.p95_ms
            ),
        );
    }
    let peak = results
        .measurements
        .iter()
        .filter(|m| m.clients == 64)
        .filter_map(|m| m.rss_kb)
        .max();
    if let Some(kb) = peak {
        line(
            kb <= 200 * 1024,
            format!(
                "server RSS under 64 clients: peak {:.0} MB (≤ 200 MB)",
                kb as f64 / 1024.0
            ),
        );
    }
    let scans = results
        .plans
        .iter()
        .filter(|p| p.seq_scan_on_equipment)
        .count();
    if !results.plans.is_empty() {
        line(
            scans == 0,
            format!("enterprise user's plans: {scans} Seq Scan on equipment"),
        );
    }
    if let Some(gz) = wasm_gzip_bytes {
        line(
            gz <= 400 * 1024,
            format!("SPA wasm gzip {:.0} KB (≤ 400 KB)", gz as f64 / 1024.0),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::Who;
    use crate::stats::summarise;

    #[test]
    fn rows_have_one_cell_per_header() {
        let m = Measurement {
            scenario: "设备查询".into(),
            who: Who::Enterprise,
            clients: 8,
            api: summarise(vec![1.0, 2.0], 0, 1.0, None),
            raw: Some(summarise(vec![0.5, 1.0], 0, 1.0, None)),
            rss_kb: Some(51_200),
        };
        let r = row(&m);
        assert_eq!(r.matches('|').count(), HEADER.len() + 1);
        assert!(r.contains("| 2.0× | 50 |"), "{r}");
        let results = Results {
            measurements: vec![m],
            plans: Vec::new(),
        };
        assert!(targets(&results, Some(500 * 1024)).contains("**未达标** SPA wasm"));
    }
}
