//! `tejianctl equipment import|template`: the file's format, the upload with its progress, and the
//! result (the count, or a table of the problems by row and column).

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use tejian_client::{AuthedClient, Error};
use tejian_contract::equipment::{ExportFormat, MAX_IMPORT_BYTES, XLSX_CONTENT_TYPE};
use tejian_contract::problem::{FieldError, Problem};
use unicode_width::UnicodeWidthStr;

/// Bytes handed to the connection at a time (and between progress updates).
const CHUNK: usize = 64 * 1024;

/// Problem rows printed on a terminal; all of them go to a file or pipe.
const MAX_TABLE_ON_TERMINAL: usize = 100;

/// What a file to import is: `(content type, name shown)`.
pub fn file_kind(path: &Path, bytes: &[u8]) -> Result<(&'static str, &'static str), String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xls") => Err("不支持 Excel 97-2003 工作簿 (.xls)：请在 Excel 中另存为 .xlsx".into()),
        Some("xlsx") => Ok((XLSX_CONTENT_TYPE, "XLSX")),
        Some("csv" | "txt") => Ok(("text/csv", "CSV")),
        // No telling extension: a workbook is a zip archive.
        _ if bytes.starts_with(b"PK\x03\x04") => Ok((XLSX_CONTENT_TYPE, "XLSX")),
        _ => Ok(("text/csv", "CSV")),
    }
}

/// A byte count for people: 532 B, 12.3 KB, 4.8 MB.
fn size(bytes: usize) -> String {
    let b = u32::try_from(bytes).map_or(f64::MAX, f64::from);
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

/// How the steps of an import are shown.
#[derive(Clone)]
enum Steps {
    /// A progress bar for the upload, then a spinner with the time waited (a terminal).
    Bar(ProgressBar),
    /// One plain line per step on stderr (pipes, CI, tests).
    Plain,
    /// Nothing (`--json`).
    Quiet,
}

impl Steps {
    fn new(total: usize, json: bool) -> Self {
        if json {
            return Steps::Quiet;
        }
        if !(std::io::stdout().is_terminal() && std::io::stderr().is_terminal()) {
            return Steps::Plain;
        }
        let bar = ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30.cyan/blue}] {binary_bytes}/{binary_total_bytes} {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("上传");
        // Redraw while the connection drains what it was handed (the time keeps moving).
        bar.enable_steady_tick(Duration::from_millis(200));
        Steps::Bar(bar)
    }

    fn start(&self, file: &Path, kind: &str, bytes: usize) {
        if let Steps::Plain = self {
            eprintln!("上传 {}（{kind}，{}）…", file.display(), size(bytes));
        }
    }

    /// `sent` of `total` bytes are handed to the connection (the operating system buffers some
    /// of them: the bar can run ahead of the wire by that much).
    fn sent(&self, sent: usize, total: usize) {
        if let Steps::Bar(bar) = self {
            bar.set_position(u64::try_from(sent).unwrap_or(u64::MAX));
        }
        if sent >= total {
            self.uploaded();
        }
    }

    /// The whole file is sent: the server now checks every row and writes them.
    fn uploaded(&self) {
        match self {
            Steps::Bar(bar) => {
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
                    bar.set_style(style);
                }
                bar.set_message("已上传，服务器正在校验并写入…");
                bar.enable_steady_tick(Duration::from_millis(100));
            }
            Steps::Plain => eprintln!("已上传，服务器正在校验并写入…"),
            Steps::Quiet => {}
        }
    }

    fn done(&self, started: Instant) {
        let secs = started.elapsed().as_secs_f64();
        match self {
            Steps::Bar(bar) => bar.finish_and_clear(),
            Steps::Plain => eprintln!("服务器已答复（用时 {secs:.1} 秒）"),
            Steps::Quiet => {}
        }
    }
}

/// A request body that hands the file over in chunks and reports each one.
fn counting_body(data: Arc<Vec<u8>>, steps: Steps) -> reqwest::Body {
    let total = data.len();
    if total == 0 {
        steps.sent(0, 0);
        return reqwest::Body::from(Vec::new());
    }
    let chunks = (0..total.div_ceil(CHUNK)).map(move |i| {
        let start = i * CHUNK;
        let end = (start + CHUNK).min(total);
        let chunk = data.get(start..end).unwrap_or_default().to_vec();
        steps.sent(end, total);
        Ok::<_, std::io::Error>(chunk)
    });
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

/// Uploads `file` for import and prints the result; `Err` (a non-zero exit) unless every row
/// went in.
pub async fn import(
    client: &AuthedClient,
    variety: &str,
    file: &Path,
    json: bool,
) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}: {e}", file.display()))?;
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "{} 有 {}，一次最多导入 {}：请分成几个文件",
            file.display(),
            size(bytes.len()),
            size(MAX_IMPORT_BYTES)
        ));
    }
    let (content_type, kind) = file_kind(file, &bytes)?;
    let total = bytes.len();
    let steps = Steps::new(total, json);
    steps.start(file, kind, total);
    let data = Arc::new(bytes);
    let started = Instant::now();
    let result = client
        .import_equipment_with(variety, content_type, || {
            counting_body(Arc::clone(&data), steps.clone())
        })
        .await;
    steps.done(started);
    match result {
        Ok(report) if json => crate::print_json(&report),
        Ok(report) => {
            println!("已导入 {} 台设备", report.imported);
            Ok(())
        }
        Err(Error::Api(p)) if !p.errors.is_empty() => {
            if json {
                crate::print_json(&p)?;
                return Err(format!("未导入任何设备 [{}]", p.code));
            }
            if !p.errors.iter().any(|e| e.pointer.starts_with("/rows/")) {
                // A problem of the whole file (not a spreadsheet, no rows, a missing column).
                let details: Vec<String> = p
                    .errors
                    .iter()
                    .map(|e| format!("{} [{}]", e.detail, e.code))
                    .collect();
                return Err(details.join("；"));
            }
            print_problems(&p);
            Err(format!(
                "未导入任何设备：{} 处问题，请修改后重新导入 [{}]",
                p.errors.len(),
                p.code
            ))
        }
        Err(e) => Err(crate::api_error(e)),
    }
}

/// One problem of a row: `(row, column, reason)`; `None` for problems of the whole file.
fn row_problem(e: &FieldError) -> Option<(String, String, String)> {
    let rest = e.pointer.strip_prefix("/rows/")?;
    let (row, column) = rest.split_once('/').unwrap_or((rest, ""));
    // The detail repeats the place for readers of the bare JSON: 第 4 行「注册代码」：…
    let reason = e
        .detail
        .split_once('：')
        .filter(|(place, _)| place.starts_with("第 "))
        .map_or(e.detail.as_str(), |(_, reason)| reason);
    Some((row.to_owned(), column.to_owned(), reason.to_owned()))
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(UnicodeWidthStr::width(text));
    format!("{text}{}", " ".repeat(fill))
}

/// The problems of the rows as a table of row, column and reason on stdout (then any problems
/// of the whole file).
fn print_problems(p: &Problem) {
    let rows: Vec<_> = p.errors.iter().filter_map(row_problem).collect();
    let width = |cells: &mut dyn Iterator<Item = &String>, title: &str| {
        cells
            .map(|c| c.width())
            .chain([title.width()])
            .max()
            .unwrap_or(0)
    };
    let w_row = width(&mut rows.iter().map(|r| &r.0), "行");
    let w_col = width(&mut rows.iter().map(|r| &r.1), "列");
    // On a terminal, a screenful; redirected to a file, every problem.
    let shown = if std::io::stdout().is_terminal() {
        MAX_TABLE_ON_TERMINAL
    } else {
        usize::MAX
    };
    println!("{}  {}  原因", pad("行", w_row), pad("列", w_col));
    for (row, column, reason) in rows.iter().take(shown) {
        println!("{}  {}  {reason}", pad(row, w_row), pad(column, w_col));
    }
    if rows.len() > shown {
        println!(
            "……还有 {} 处问题未显示（输出到文件可看到全部，如 > 问题.txt；或用 --json）",
            rows.len() - shown
        );
    }
    for e in p.errors.iter().filter(|e| !e.pointer.starts_with("/rows/")) {
        println!("{}", e.detail);
    }
}

/// Fetches the import template; XLSX goes to a file (or a pipe), never to a terminal.
pub async fn template(
    client: &AuthedClient,
    variety: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<(), String> {
    use std::io::Write;
    if output.is_none() && format == ExportFormat::Xlsx && std::io::stdout().is_terminal() {
        return Err("XLSX 模板是二进制文件：请用 -o 文件名.xlsx 保存".into());
    }
    let bytes = client
        .import_template(variety, format)
        .await
        .map_err(crate::api_error)?;
    match output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .map_err(|e| format!("无法写入 {}: {e}", path.display()))?;
            println!("已保存导入模板 {}（{}）", path.display(), size(bytes.len()));
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("无法输出模板: {e}"))?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn kinds_by_extension_then_bytes() {
        let kind = |name: &str, bytes: &[u8]| file_kind(Path::new(name), bytes).map(|k| k.1);
        assert_eq!(kind("a.xlsx", b"x").unwrap(), "XLSX");
        assert_eq!(kind("a.CSV", b"PK\x03\x04").unwrap(), "CSV");
        assert_eq!(kind("download", b"PK\x03\x04").unwrap(), "XLSX");
        assert_eq!(kind("download", b"a,b").unwrap(), "CSV");
        assert!(kind("old.xls", b"").is_err());
    }

    #[test]
    fn problems_split_into_row_column_reason() {
        let e = FieldError {
            pointer: "/rows/4/注册代码".into(),
            code: "invalid".into(),
            detail: "第 4 行「注册代码」：校验位不正确".into(),
        };
        assert_eq!(
            row_problem(&e).unwrap(),
            ("4".into(), "注册代码".into(), "校验位不正确".into())
        );
        assert_eq!(pad("注册代码", 10), "注册代码  ");
        assert_eq!(size(12_595), "12.3 KB");
    }
}
