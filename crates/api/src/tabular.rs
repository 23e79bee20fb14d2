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
            lines_before += bytes[counted..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = start;
        }
        let line = (lines_before + 1).saturating_sub(inner_breaks);
        match read {
            Ok(false) => break,
            Ok(true) => {
                inner_breaks += record
                    .iter()
                    .map(|c| c.matches('\n').count())
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

/// The first sheet of an XLSX workbook. The header row is the first row with a value; the cells
/// are streamed, so a sheet formatted far beyond its data costs nothing.
pub fn read_xlsx(bytes: &[u8], max_rows: usize) -> AppResult<Table> {
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
}
