//! Uploaded tables: a CSV file or the first sheet of an XLSX workbook, read into rows of text
//! with the row numbers a spreadsheet program shows, so one validation path serves both formats.
//!
//! The format is decided from the first bytes (an XLSX workbook is a zip archive) and the declared
//! `Content-Type`; anything that is neither a workbook nor UTF-8 text is refused with a stable
//! code. Cells are turned into the text a person sees in Excel: numbers with at most 15
//! significant digits (`1.7500000000000002` is `1.75`), dates as `2024-03-15`, booleans as 是/否.

use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx, XlsxError};
use tejian_contract::equipment::XLSX_CONTENT_TYPE;

use crate::error::{AppError, AppResult};

/// Columns read from a workbook row at most (a sheet can be formatted out to column XFD).
const MAX_COLUMNS: usize = 256;

/// Bytes an XLSX upload may hold once unpacked, all parts together. A full 5,000-row import is
/// a few MB unpacked; a zip bomb (a small file that inflates to gigabytes) is refused before
/// calamine reads any part of it.
pub const MAX_XLSX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

/// Parts an XLSX upload may have (a workbook from Excel has about a dozen).
const MAX_XLSX_PARTS: usize = 500;

/// A table read from an upload: the header row and the rows below it.
#[derive(Debug, Default)]
pub struct Table {
    /// The header cells, trimmed.
    pub headers: Vec<String>,
    /// The data rows, in file order, without the rows that have no value at all.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Default)]
pub struct Row {
    /// The row number a spreadsheet program shows (the header row of a template is 1).
    pub line: usize,
    /// The cells as text, by column index (shorter rows are not padded).
    pub cells: Vec<String>,
    /// Cells that could not be read (a CSV syntax error, an Excel error value such as `#N/A`).
    pub problems: Vec<CellProblem>,
}

impl Row {
    /// True when every cell is blank and nothing went wrong reading it.
    pub fn is_blank(&self) -> bool {
        self.problems.is_empty() && self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A cell (or, with no column, a whole row) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column index, `None` for the whole row.
    pub column: Option<usize>,
    pub code: &'static str,
    pub detail: String,
}

/// What an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

fn bad_file(code: &str, detail: impl Into<String>) -> AppError {
    AppError::field("/file", code, detail)
}

/// Decides the format of an upload from its first bytes and the declared content type.
pub fn detect(bytes: &[u8], content_type: Option<&str>) -> AppResult<Format> {
    let declared = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Xlsx);
    }
    if declared.as_deref() == Some(XLSX_CONTENT_TYPE) {
        return Err(bad_file(
            "invalid_xlsx",
            "文件不是有效的 XLSX 工作簿（请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」）",
        ));
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(bad_file(
            "unsupported_file_type",
            "不支持 Excel 97-2003 工作簿 (.xls)：请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」或「CSV UTF-8」",
        ));
    }
    let head = &bytes[..bytes.len().min(8 * 1024)];
    let binary = [
        &b"%PDF"[..],
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"\x1f\x8b",
        b"PK",
    ]
    .iter()
    .any(|magic| bytes.starts_with(magic))
        || head.contains(&0);
    if binary {
        return Err(bad_file(
            "unsupported_file_type",
            "只能导入 XLSX 工作簿或 UTF-8 编码的 CSV 文件（请使用导入模板）",
        ));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(bad_file(
            "invalid_encoding",
            "文件必须是 UTF-8 编码的 CSV（Excel：另存为「CSV UTF-8」）或 XLSX 工作簿",
        ));
    }
    Ok(Format::Csv)
}

/// Reads an upload as a table; `max_rows` bounds the data rows kept (one more is returned when
/// the file holds more, so the caller can say it is too long).
pub fn read(bytes: &[u8], content_type: Option<&str>, max_rows: usize) -> AppResult<Table> {
    match detect(bytes, content_type)? {
        Format::Csv => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                bad_file(
                    "invalid_encoding",
                    "文件必须是 UTF-8 编码的 CSV（Excel：另存为「CSV UTF-8」）",
                )
            })?;
            read_csv(text, max_rows)
        }
        Format::Xlsx => read_xlsx(bytes, max_rows),
    }
}

/// A CSV file (a leading BOM is skipped). A row's number is the line it starts on, less the line
/// breaks inside quoted cells before it: the row Excel shows when it opens the file.
pub fn read_csv(text: &str, max_rows: usize) -> AppResult<Table> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut header_seen = false;
    let bytes = text.as_bytes();
    // Line breaks inside quoted cells so far: Excel shows such a cell on one row.
    let mut inner_breaks = 0usize;
    // Lines counted up to `counted` bytes.
    let (mut counted, mut lines_before) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        let after_previous = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        let read = reader.read_record(&mut record);
        // The record starts after the previous one's line break and any blank lines (which the
        // reader skips but Excel shows as rows).
        let mut start = match (&read, record.position()) {
            (Ok(true), Some(p)) => usize::try_from(p.byte()).unwrap_or(usize::MAX),
            _ => after_previous,
        }
        .min(bytes.len());
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        if start >= counted {
            lines_before += line_breaks(&bytes[counted..start]);
            counted = start;
        }
        let line = (lines_before + 1).saturating_sub(inner_breaks);
        match read {
            Ok(false) => break,
            Ok(true) => {
                inner_breaks += record
                    .iter()
                    .map(|c| line_breaks(c.as_bytes()))
                    .sum::<usize>();
                let cells: Vec<String> = record.iter().map(str::to_owned).collect();
                if !header_seen {
                    header_seen = true;
                    table.headers = cells.iter().map(|h| h.trim().to_owned()).collect();
                    continue;
                }
                let row = Row {
                    line,
                    cells,
                    problems: Vec::new(),
                };
                if !row.is_blank() {
                    table.rows.push(row);
                }
            }
            Err(e) => {
                if !header_seen {
                    return Err(bad_file("invalid_csv", format!("无法读取表头: {e}")));
                }
                table.rows.push(Row {
                    line,
                    cells: Vec::new(),
                    problems: vec![CellProblem {
                        column: None,
                        code: "invalid_csv",
                        detail: format!("CSV 格式错误: {e}"),
                    }],
                });
            }
        }
        if table.rows.len() > max_rows {
            break;
        }
    }
    if !header_seen {
        return Err(bad_file("empty_file", "文件中没有数据行"));
    }
    Ok(table)
}

/// Line breaks as spreadsheet programs count them: `\r\n`, `\n`, and a lone `\r`.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

fn xlsx_error(e: &XlsxError) -> AppError {
    match e {
        XlsxError::Password => bad_file("invalid_xlsx", "工作簿设置了密码，请取消密码保护后再导入"),
        other => bad_file(
            "invalid_xlsx",
            format!(
                "无法读取 XLSX 工作簿（请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」）: {other}"
            ),
        ),
    }
}

/// Refuses a zip archive that unpacks to more than [`MAX_XLSX_UNPACKED_BYTES`] or has more than
/// [`MAX_XLSX_PARTS`] parts. Every part is inflated into nothing and counted (the sizes a zip
/// declares can lie), so memory stays constant and the work stops at the limit.
fn check_unpacked_size(bytes: &[u8]) -> AppResult<()> {
    check_unpacked_within(bytes, MAX_XLSX_UNPACKED_BYTES)
}

fn check_unpacked_within(bytes: &[u8], limit: u64) -> AppResult<()> {
    use std::io::Read as _;
    let invalid = |e: &dyn std::fmt::Display| {
        bad_file(
            "invalid_xlsx",
            format!("无法读取 XLSX 工作簿（请在 Excel 中另存为「Excel 工作簿 (*.xlsx)」）: {e}"),
        )
    };
    let too_big = || {
        bad_file(
            "xlsx_too_large",
            format!(
                "工作簿解压后超过 {} MB，不像是导入模板（请只保留模板中的数据，或分成几个文件导入）",
                limit.div_ceil(1024 * 1024)
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| invalid(&e))?;
    if archive.len() > MAX_XLSX_PARTS {
        return Err(too_big());
    }
    let mut budget = limit;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|e| invalid(&e))?;
        if part.size() > budget {
            return Err(too_big());
        }
        let inflated = std::io::copy(&mut (&mut part).take(budget + 1), &mut std::io::sink())
            .map_err(|e| invalid(&e))?;
        budget = budget.checked_sub(inflated).ok_or_else(too_big)?;
    }
    Ok(())
}

/// The first sheet of an XLSX workbook. The header row is the first row with a value; the cells
/// are streamed, so a sheet formatted far beyond its data costs nothing. Formulas are never
/// evaluated: a formula cell reads as the value Excel saved with it (empty when there is none).
pub fn read_xlsx(bytes: &[u8], max_rows: usize) -> AppResult<Table> {
    check_unpacked_size(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad_file("invalid_xlsx", "工作簿中没有工作表"))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| xlsx_error(&e))?;
    let mut table = Table::default();
    let mut header: Option<Row> = None;
    let mut current = Row::default();
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(&e))? {
        let (r, c) = cell.get_position();
        let line = usize::try_from(r).unwrap_or(usize::MAX).saturating_add(1);
        let column = usize::try_from(c).unwrap_or(usize::MAX);
        if line != current.line {
            let done = std::mem::replace(
                &mut current,
                Row {
                    line,
                    ..Row::default()
                },
            );
            finish(done, &mut header, &mut table);
            if table.rows.len() > max_rows {
                return Ok(table);
            }
        }
        let width = if header.is_some() {
            table.headers.len()
        } else {
            MAX_COLUMNS
        };
        if column >= width {
            continue;
        }
        match cell_text(cell.get_value()) {
            Ok(text) if text.is_empty() => {}
            Ok(text) => {
                if current.cells.len() <= column {
                    current.cells.resize(column + 1, String::new());
                }
                current.cells[column] = text;
            }
            Err(detail) => current.problems.push(CellProblem {
                column: Some(column),
                code: "cell_error",
                detail,
            }),
        }
    }
    finish(current, &mut header, &mut table);
    if header.is_none() {
        return Err(bad_file(
            "empty_file",
            "工作表是空的：第一个工作表应是导入模板",
        ));
    }
    Ok(table)
}

/// Files a finished workbook row: the first with a value is the header row.
fn finish(row: Row, header: &mut Option<Row>, table: &mut Table) {
    if row.is_blank() {
        return;
    }
    if header.is_none() {
        table.headers = row.cells.iter().map(|h| h.trim().to_owned()).collect();
        *header = Some(row);
    } else {
        table.rows.push(row);
    }
}

/// The text Excel shows for a cell; an error value (`#N/A` …) is refused.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => iso_date_text(s),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        DataRef::DateTime(d) => date_text(d),
        DataRef::Error(e) => return Err(format!("单元格是错误值 {e}，请填写实际内容")),
    })
}

/// A number as Excel shows it in a General cell: at most 15 significant digits, no exponent.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    if rounded == 0.0 {
        return "0".to_owned();
    }
    format!("{rounded}")
}

/// A date cell as `2024-03-15`, with the time when it has one (a date column then refuses it).
fn date_text(value: &ExcelDateTime) -> String {
    if value.is_duration() {
        return number_text(value.as_f64());
    }
    let (y, m, d, hh, mm, ss, _) = value.to_ymd_hms_milli();
    if (hh, mm, ss) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
    }
}

/// `2024-03-15T00:00:00` (an ISO date cell) as `2024-03-15`; other text unchanged.
fn iso_date_text(text: &str) -> String {
    match text.split_once('T') {
        Some((date, time))
            if date.len() == 10
                && date.as_bytes().get(4) == Some(&b'-')
                && time.chars().all(|c| matches!(c, '0' | ':' | '.' | 'Z')) =>
        {
            date.to_owned()
        }
        _ => text.to_owned(),
    }
}

/// The spreadsheet letter of a column index: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(1.75), "1.75");
        assert_eq!(number_text(1.750_000_000_000_000_2), "1.75");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(18.0), "18");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(330_502.0), "330502");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(0.000_001_5), "0.0000015");
    }

    #[test]
    fn dates_read_as_iso() {
        let d = ExcelDateTime::new(45_366.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d), "2024-03-15");
        let d = ExcelDateTime::new(45_366.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d), "2024-03-15 12:00:00");
        let d = ExcelDateTime::new(43_904.0, calamine::ExcelDateTimeType::DateTime, true);
        assert_eq!(date_text(&d), "2024-03-15");
        assert_eq!(iso_date_text("2024-03-15T00:00:00"), "2024-03-15");
        assert_eq!(iso_date_text("2024-03-15T08:00:00"), "2024-03-15T08:00:00");
        assert_eq!(iso_date_text("ATB"), "ATB");
    }

    #[test]
    fn csv_rows_are_numbered_as_excel_numbers_them() {
        let text = "\u{feff}a,b\r\n1,2\r\n\r\n\"multi\nline\",3\r\n4,5\r\n";
        let table = read_csv(text, 10).unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        // Excel: header 1, "1,2" 2, blank 3, the two-line cell 4, "4,5" 5.
        assert_eq!(lines, [2, 4, 5]);
    }

    /// A lone carriage return ends a line too (old Mac files; found by the proptest below).
    #[test]
    fn csv_lone_carriage_returns_count_as_lines() {
        let table = read_csv("a\n0\r中\r\n\"x\ry\",1\n2", 10).unwrap();
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
    }

    #[test]
    fn csv_line_endings_and_leading_blank_lines() {
        let table = read_csv("\n\na,b\n1,2\n3,4", 10).unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5]);
        assert_eq!(table.rows[1].cells, ["3", "4"]);
    }

    #[test]
    fn xlsx_cells_read_as_text_with_excel_row_numbers() {
        use rust_xlsxwriter::{ExcelDateTime as Dt, Format as CellFormat, Formula, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let date = CellFormat::new().set_num_format("yyyy-mm-dd");
        // The table starts on row 3 (two rows of nothing but formatting above it).
        sheet.write_blank(0, 0, &date).unwrap();
        for (col, h) in (0u16..).zip([" 代码 ", "日期", "速度", "层数", "机房", "备注"])
        {
            sheet.write_string(2, col, h).unwrap();
        }
        sheet.write_string(3, 0, "0012").unwrap();
        sheet
            .write_datetime_with_format(3, 1, Dt::from_ymd(2024, 3, 15).unwrap(), &date)
            .unwrap();
        sheet.write_number(3, 2, 1.75 + f64::EPSILON).unwrap();
        sheet.write_number(3, 3, 18.0).unwrap();
        sheet.write_boolean(3, 4, true).unwrap();
        // Row 5 is blank; row 6 has text dates and an error value; a cell right of the header
        // row is ignored.
        sheet.write_string(5, 1, "2024/3/15").unwrap();
        sheet
            .write_formula(5, 5, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        sheet.write_string(5, 9, "far away").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        assert_eq!(
            detect(&bytes, Some("application/octet-stream")).unwrap(),
            Format::Xlsx
        );
        let table = read(&bytes, None, 10).unwrap();
        assert_eq!(
            table.headers,
            ["代码", "日期", "速度", "层数", "机房", "备注"]
        );
        assert_eq!(table.rows.len(), 2);
        let (first, second) = (&table.rows[0], &table.rows[1]);
        assert_eq!(first.line, 4);
        assert_eq!(first.cells, ["0012", "2024-03-15", "1.75", "18", "是"]);
        assert_eq!(second.line, 6);
        assert_eq!(second.cells, ["", "2024/3/15"]);
        assert_eq!(second.problems.len(), 1);
        assert_eq!(second.problems[0].column, Some(5));
        assert!(second.problems[0].detail.contains("#N/A"));
    }

    #[test]
    fn xlsx_stops_reading_past_the_row_limit() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for row in 0..50u32 {
            sheet.write_number(row, 0, f64::from(row)).unwrap();
        }
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(read_xlsx(&bytes, 10).unwrap().rows.len(), 11);
        let mut truncated = bytes.clone();
        truncated.truncate(200);
        match read(&truncated, None, 10) {
            Err(AppError::Validation(e)) => assert_eq!(e[0].code, "invalid_xlsx"),
            other => panic!("{other:?}"),
        }
    }

    /// A zip whose parts inflate to `size` bytes of spaces each (deflate packs them ~1000:1).
    fn bomb(parts: usize, size: usize) -> Vec<u8> {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let chunk = vec![b' '; 64 * 1024];
        for part in 0..parts {
            zip.start_file(format!("xl/worksheets/sheet{part}.xml"), options)
                .unwrap();
            let mut left = size;
            while left > 0 {
                let n = left.min(chunk.len());
                zip.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
        }
        zip.finish().unwrap().into_inner()
    }

    fn code_of(result: AppResult<impl std::fmt::Debug>) -> String {
        match result {
            Err(AppError::Validation(e)) => e[0].code.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn zip_bombs_are_refused_by_what_they_unpack_to() {
        let limit = 1024 * 1024;
        let small = bomb(1, 512 * 1024);
        assert!(check_unpacked_within(&small, limit).is_ok());
        // One part, or many parts that only add up to too much.
        let big = bomb(1, 3 * 1024 * 1024);
        assert!(big.len() < 20 * 1024, "{}", big.len());
        assert_eq!(
            code_of(check_unpacked_within(&big, limit)),
            "xlsx_too_large"
        );
        let spread = bomb(8, 200 * 1024);
        assert_eq!(
            code_of(check_unpacked_within(&spread, limit)),
            "xlsx_too_large"
        );

        // The sizes the archive declares are not trusted: with the part's uncompressed size set
        // to 1 byte in both headers, the inflated bytes are still counted (or the part is
        // refused as corrupt), never accepted.
        let mut lying = big.clone();
        let patch = |bytes: &mut Vec<u8>, signature: &[u8], offset: usize| {
            let at = bytes.windows(4).position(|w| w == signature).unwrap() + offset;
            bytes[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
        };
        patch(&mut lying, b"PK\x03\x04", 22);
        patch(&mut lying, b"PK\x01\x02", 24);
        let code = code_of(check_unpacked_within(&lying, limit));
        assert!(
            ["xlsx_too_large", "invalid_xlsx"].contains(&code.as_str()),
            "{code}"
        );

        // Too many parts, each tiny.
        let crowd = bomb(MAX_XLSX_PARTS + 1, 1);
        assert_eq!(
            code_of(check_unpacked_within(&crowd, limit)),
            "xlsx_too_large"
        );
        // The message says why, in Chinese (the API test sends a real-size bomb through `read`).
        match check_unpacked_within(&big, limit) {
            Err(AppError::Validation(e)) => {
                assert!(e[0].detail.contains("解压后超过 1 MB"), "{e:?}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_zips_are_invalid_xlsx() {
        let good = bomb(1, 10);
        for damaged in [b"PK\x03\x04".to_vec(), good[..good.len() / 2].to_vec(), {
            let mut flipped = good.clone();
            // The first byte of the part's compressed data (after the local header, its name
            // and its extra field).
            let le = |at: usize| usize::from(u16::from_le_bytes([good[at], good[at + 1]]));
            flipped[30 + le(26) + le(28)] ^= 0xff;
            flipped
        }] {
            assert_eq!(code_of(read(&damaged, None, 10)), "invalid_xlsx");
        }
    }

    #[test]
    fn formulas_are_not_evaluated() {
        use rust_xlsxwriter::{Formula, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(0, 1, "b").unwrap();
        sheet.write_string(0, 2, "c").unwrap();
        // A formula with the value Excel saved, one without, and text that looks like one.
        sheet
            .write_formula(1, 0, Formula::new("=1+1").set_result("2"))
            .unwrap();
        sheet
            .write_formula(1, 1, Formula::new("=WEBSERVICE(\"http://evil/\")"))
            .unwrap();
        sheet.write_string(1, 2, "=cmd|' /C calc'!A0").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = read(&bytes, None, 10).unwrap();
        assert_eq!(table.rows.len(), 1);
        let cells = &table.rows[0].cells;
        assert_eq!(cells[0], "2");
        assert!(cells[1].is_empty() || cells[1] == "0", "{cells:?}");
        assert_eq!(cells[2], "=cmd|' /C calc'!A0");
    }

    #[test]
    fn detects_formats_and_refuses_others() {
        assert_eq!(detect(b"PK\x03\x04rest", None).unwrap(), Format::Xlsx);
        assert_eq!(
            detect("a,b\n".as_bytes(), Some("text/csv")).unwrap(),
            Format::Csv
        );
        let code = |bytes: &[u8], ct: Option<&str>| match detect(bytes, ct) {
            Err(AppError::Validation(e)) => e[0].code.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(code(b"a,b\n", Some(XLSX_CONTENT_TYPE)), "invalid_xlsx");
        assert_eq!(code(b"%PDF-1.7\n", None), "unsupported_file_type");
        assert_eq!(code(b"\x89PNG\r\n\x1a\n", None), "unsupported_file_type");
        assert_eq!(
            code(b"\xd0\xcf\x11\xe0\xa1\xb1", None),
            "unsupported_file_type"
        );
        assert_eq!(code(b"\xb2\xe2\xca\xd4,a\n", None), "invalid_encoding");
    }

    /// `PROPTEST_CASES` when set, else a CI-sized default.
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256)
    }

    /// A real workbook's parts with the ones named in `replace` swapped for other contents.
    fn workbook_with(replace: &[(&str, Vec<u8>)]) -> Vec<u8> {
        use std::io::{Read as _, Write as _};
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "注册代码").unwrap();
        sheet.write_string(1, 0, "31103305022021050101").unwrap();
        let original = workbook.save_to_buffer().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(original)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..archive.len() {
            let mut part = archive.by_index(i).unwrap();
            let name = part.name().unwrap().into_owned();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).unwrap();
            if let Some((_, new)) = replace.iter().find(|(n, _)| *n == name) {
                bytes.clone_from(new);
            }
            out.start_file(name, options).unwrap();
            out.write_all(&bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// Sheet XML of random rows and cells of every type, with random references and values.
    fn sheet_xml() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let cell = (
            "[A-Z]{1,3}[0-9]{1,7}|[0-9]{0,3}|",
            prop_oneof![
                Just(""),
                Just(" t=\"s\""),
                Just(" t=\"str\""),
                Just(" t=\"b\""),
                Just(" t=\"e\""),
                Just(" t=\"d\""),
                Just(" t=\"inlineStr\""),
                Just(" t=\"n\""),
            ],
            "[^<&]{0,12}|-?[0-9]{1,20}(\\.[0-9]{0,20})?(E[+-]?[0-9]{1,4})?",
            any::<bool>(),
        )
            .prop_map(|(r, t, v, inline)| {
                if inline {
                    format!("<c r=\"{r}\"{t}><is><t>{v}</t></is></c>")
                } else {
                    format!("<c r=\"{r}\"{t}><v>{v}</v></c>")
                }
            });
        let row = ("[0-9]{0,8}", proptest::collection::vec(cell, 0..6))
            .prop_map(|(r, cells)| format!("<row r=\"{r}\">{}</row>", cells.concat()));
        proptest::collection::vec(row, 0..12).prop_map(|rows| {
            format!(
                "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{}</sheetData></worksheet>",
                rows.concat()
            )
            .into_bytes()
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: cases(), ..Default::default() })]

        /// Any bytes, with or without the zip signature and a declared type: an answer, no panic.
        #[test]
        fn arbitrary_bytes_never_panic(
            zip_head in proptest::prelude::any::<bool>(),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
            declared in proptest::option::of(proptest::prelude::Just(XLSX_CONTENT_TYPE)),
        ) {
            let mut input = if zip_head { b"PK\x03\x04".to_vec() } else { Vec::new() };
            input.extend_from_slice(&bytes);
            let _ = read(&input, declared, 50);
        }

        /// A real workbook whose sheet or shared strings are random XML: an answer, no panic.
        #[test]
        fn arbitrary_sheets_never_panic(sheet in sheet_xml(), strings in "[^&]{0,200}") {
            let shared = format!("<sst><si><t>{strings}</t></si></sst>").into_bytes();
            let bytes = workbook_with(&[
                ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", shared),
            ]);
            let _ = read(&bytes, None, 50);
        }

        /// A real workbook with one byte changed or cut short anywhere: an answer, no panic.
        #[test]
        fn damaged_workbooks_never_panic(
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            cut in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = workbook_with(&[]);
            let i = at.index(bytes.len());
            if cut {
                bytes.truncate(i);
            } else {
                bytes[i] = byte;
            }
            let _ = read(&bytes, None, 50);
        }

        /// CSV text of any shape: an answer, no panic, and the row numbers only grow.
        #[test]
        fn arbitrary_csv_never_panics(text in "[a-z0-9,\"\r\n\u{feff} 中]{0,300}") {
            if let Ok(table) = read_csv(&text, 50) {
                let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
                proptest::prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "{:?}", lines);
            }
        }
    }
}
