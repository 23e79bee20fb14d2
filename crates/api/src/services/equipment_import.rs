//! 批量导入 (institute): equipment from CSV or XLSX, one template per parameter family, headers
//! in Chinese. Both formats are read into the same rows of text ([`crate::tabular`]) and checked
//! by one path; every bad row is reported with its row (as the spreadsheet shows it), column and
//! reason, and nothing is imported unless every row is good (one transaction).

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Map, Value};
use tejian_contract::equipment::{EquipmentFields, MAX_IMPORT_BYTES};
use tejian_contract::problem::FieldError;
use tejian_domain::equipment::params::{EquipmentParams, ParamField, ParamKind};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use time::Date;

use super::equipment_admin::{check_fields, insert_checked, staff_only};
use super::{Actor, Services};
use crate::error::{AppError, AppResult};
use crate::store::entity::{district, enterprise, equipment};
use crate::tabular;

/// Most rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// The fixed columns: header, the field's JSON pointer in [`EquipmentFields`], required.
const BASE_COLUMNS: [(&str, &str, bool); 16] = [
    ("使用单位统一社会信用代码", "/enterprise", true),
    ("品种代码", "/variety_code", true),
    ("注册代码", "/registration_code", false),
    ("设备代码", "/equipment_code", false),
    ("使用登记证编号", "/use_certificate_no", false),
    ("单位内编号", "/internal_no", false),
    ("出厂编号", "/factory_no", false),
    ("设备型号", "/model", false),
    ("制造单位", "/manufacturer", false),
    ("制造日期", "/manufacture_date", false),
    ("投入使用日期", "/commissioning_date", false),
    ("登记日期", "/registration_date", false),
    ("使用地点", "/install_location", true),
    ("辖区代码", "/district_code", true),
    ("使用状态", "/use_status", false),
    ("下次检验日期", "/next_inspection_date", false),
];

fn param_header(f: &ParamField) -> String {
    if f.unit.is_empty() {
        f.label.to_owned()
    } else {
        format!("{}({})", f.label, f.unit)
    }
}

/// The template columns for the parameter family of `variety`: the fixed ones, then its parameters.
fn template_columns(variety: &str) -> AppResult<(Vec<String>, &'static [ParamField])> {
    if tejian_domain::catalogue::find(variety.trim()).is_none() {
        return Err(AppError::field(
            "/variety",
            "unknown_variety",
            "未知的品种代码",
        ));
    }
    let fields = EquipmentParams::fields_for(variety);
    let mut headers: Vec<String> = BASE_COLUMNS
        .iter()
        .map(|(h, _, _)| (*h).to_owned())
        .collect();
    headers.extend(fields.iter().map(param_header));
    Ok((headers, fields))
}

/// The CSV template for the parameter family of `variety` (UTF-8 with BOM, header row only).
pub fn template(variety: &str) -> AppResult<String> {
    let (headers, _) = template_columns(variety)?;
    Ok(format!("\u{feff}{}\r\n", headers.join(",")))
}

const DATE_COLUMNS: [&str; 4] = ["制造日期", "投入使用日期", "登记日期", "下次检验日期"];

/// What to write in a column, for the 填写说明 sheet of the XLSX template.
fn column_note(header: &str, param: Option<&ParamField>) -> String {
    if let Some(f) = param {
        return match f.kind {
            ParamKind::Decimal => "数字".to_owned(),
            ParamKind::Integer => "整数".to_owned(),
            ParamKind::Boolean => "是 或 否".to_owned(),
            ParamKind::Choice => format!(
                "以下之一：{}",
                f.choices
                    .iter()
                    .map(|(_, label)| *label)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        };
    }
    match header {
        "使用单位统一社会信用代码" => "平台上已有的使用单位的 18 位代码".to_owned(),
        "品种代码" => {
            "4 位品种代码，参数须与本模板的品种相同（如 3110 曳引驱动乘客电梯）".to_owned()
        }
        "注册代码" | "设备代码" => {
            "注册代码与设备代码至少填一个，不能与平台上已有的重复".to_owned()
        }
        "辖区代码" => "6 位行政区划代码，如 330502".to_owned(),
        "使用状态" => format!(
            "以下之一：{}",
            UseStatus::all()
                .iter()
                .map(|s| s.label_zh())
                .collect::<Vec<_>>()
                .join("、")
        ),
        h if DATE_COLUMNS.contains(&h) => "日期，如 2024-03-15".to_owned(),
        _ => String::new(),
    }
}

/// The XLSX template for the parameter family of `variety`: sheet 设备 with the header row (bold,
/// frozen; code and text columns formatted as text so Excel keeps leading zeros and long codes,
/// date columns as dates), then a 填写说明 sheet. Only the first sheet is imported.
pub fn template_xlsx(variety: &str) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let (headers, fields) = template_columns(variety)?;
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let sheet = workbook.add_worksheet();
        sheet.set_name("设备")?;
        for (col, header) in (0u16..).zip(&headers) {
            let param = fields.iter().find(|f| param_header(f) == *header);
            sheet.write_string_with_format(0, col, header, &bold)?;
            let chars = u16::try_from(header.chars().count()).unwrap_or(20);
            sheet.set_column_width(col, f64::from(chars.clamp(5, 20)) * 2.0 + 2.0)?;
            if DATE_COLUMNS.contains(&header.as_str()) {
                sheet.set_column_format(col, &date)?;
            } else if param.is_none_or(|p| p.kind == ParamKind::Choice) {
                sheet.set_column_format(col, &text)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let notes = workbook.add_worksheet();
        notes.set_name("填写说明")?;
        notes.write_string_with_format(0, 0, "列", &bold)?;
        notes.write_string_with_format(0, 1, "必填", &bold)?;
        notes.write_string_with_format(0, 2, "填写要求", &bold)?;
        for (row, header) in (1u32..).zip(&headers) {
            let required = BASE_COLUMNS.iter().any(|(h, _, req)| *req && h == header);
            let param = fields.iter().find(|f| param_header(f) == *header);
            notes.write_string(row, 0, header)?;
            notes.write_string(row, 1, if required { "是" } else { "" })?;
            notes.write_string(row, 2, column_note(header, param))?;
        }
        let footer = u32::try_from(headers.len()).unwrap_or(0) + 2;
        for (row, line) in (footer..).zip([
            "只导入第一个工作表「设备」；请勿修改或移动表头（第 1 行）。".to_owned(),
            "每行一台设备；问题按 Excel 的行号和列名列出，任何一行有误则整个文件都不导入。"
                .to_owned(),
            format!(
                "一个文件最多 {MAX_IMPORT_ROWS} 行、{} MB。",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ]) {
            notes.write_string(row, 0, line)?;
        }
        notes.set_column_width(0, 28)?;
        notes.set_column_width(1, 6)?;
        notes.set_column_width(2, 70)?;
        workbook.save_to_buffer()
    };
    build().map_err(AppError::internal)
}

/// A date as people type it: 2024-03-15, 2024/3/15, 2024.3.15 or 2024年3月15日.
fn parse_date(value: &str) -> Option<Date> {
    let normalised = value
        .trim()
        .trim_end_matches('日')
        .replace(['/', '.', '年', '月'], "-");
    let mut parts = normalised.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn parse_use_status(value: &str) -> Option<UseStatus> {
    let v = value.trim();
    UseStatus::all()
        .iter()
        .copied()
        .find(|s| s.as_str() == v || s.label_zh() == v)
}

struct Problem {
    line: usize,
    column: String,
    code: String,
    detail: String,
}

impl Services {
    /// Imports every row of an uploaded CSV or XLSX file as new equipment, or none.
    /// `content_type` is the declared media type; the file's first bytes decide in the end.
    pub async fn import_equipment(
        &self,
        actor: &Actor,
        variety: &str,
        file: &[u8],
        content_type: Option<&str>,
    ) -> AppResult<u64> {
        staff_only(actor)?;
        let (_, param_fields) = template_columns(variety)?;
        let table = tabular::read(file, content_type, MAX_IMPORT_ROWS)?;
        if table.rows.len() > MAX_IMPORT_ROWS {
            return Err(AppError::field(
                "/file",
                "too_many_rows",
                format!("一次最多导入 {MAX_IMPORT_ROWS} 行"),
            ));
        }
        let headers = &table.headers;
        let index: HashMap<&str, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        let missing: Vec<&str> = BASE_COLUMNS
            .iter()
            .filter(|(h, _, req)| *req && !index.contains_key(h))
            .map(|(h, _, _)| *h)
            .collect();
        if !missing.is_empty() {
            return Err(AppError::field(
                "/file",
                "missing_columns",
                format!("缺少必需的列：{}（请使用导入模板）", missing.join("、")),
            ));
        }
        let known: HashSet<String> = BASE_COLUMNS
            .iter()
            .map(|(h, _, _)| (*h).to_owned())
            .chain(param_fields.iter().map(param_header))
            .collect();
        if let Some(extra) = headers
            .iter()
            .find(|h| !h.is_empty() && !known.contains(*h))
        {
            return Err(AppError::field(
                "/file",
                "unknown_column",
                format!("未知的列「{extra}」：请使用该品种的导入模板"),
            ));
        }

        let enterprises: HashMap<String, i64> = enterprise::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.credit_code, e.id))
            .collect();
        let districts: HashSet<String> = district::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect();

        let mut problems = Vec::new();
        let mut rows = Vec::new();
        let mut seen_codes = HashSet::new();
        // Every row's codes, also of rows with other problems: all of a row's problems at once.
        let mut row_codes = Vec::new();
        for row in &table.rows {
            let line = row.line;
            // Cells that could not be read are reported once, not again as missing.
            let mut unreadable = HashSet::new();
            for p in &row.problems {
                let column = p.column.map_or_else(String::new, |i| {
                    headers
                        .get(i)
                        .filter(|h| !h.is_empty())
                        .cloned()
                        .unwrap_or_else(|| format!("{}列", tabular::column_letter(i)))
                });
                unreadable.insert(column.clone());
                problems.push(Problem {
                    line,
                    column,
                    code: p.code.to_owned(),
                    detail: p.detail.clone(),
                });
            }
            if row.is_blank() || unreadable.contains("") {
                continue;
            }
            let cell = |header: &str| -> Option<String> {
                index
                    .get(header)
                    .and_then(|&i| row.cells.get(i))
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            let mut row_problem = |column: &str, code: &str, detail: String| {
                if unreadable.contains(column) {
                    return;
                }
                problems.push(Problem {
                    line,
                    column: column.to_owned(),
                    code: code.to_owned(),
                    detail,
                });
            };
            let enterprise_id = match cell("使用单位统一社会信用代码") {
                Some(code) => match enterprises.get(&code.to_uppercase()) {
                    Some(id) => Some(*id),
                    None => {
                        row_problem(
                            "使用单位统一社会信用代码",
                            "unknown_enterprise",
                            "平台上没有该统一社会信用代码的单位".into(),
                        );
                        None
                    }
                },
                None => {
                    row_problem("使用单位统一社会信用代码", "required", "必填".into());
                    None
                }
            };
            let mut dates = HashMap::new();
            for header in DATE_COLUMNS {
                if let Some(v) = cell(header) {
                    match parse_date(&v) {
                        Some(d) => {
                            dates.insert(header, d);
                        }
                        None => row_problem(
                            header,
                            "invalid_date",
                            format!("日期格式应为 2024-03-15，而不是「{v}」"),
                        ),
                    }
                }
            }
            let use_status = match cell("使用状态") {
                Some(v) => match parse_use_status(&v) {
                    Some(s) => Some(s),
                    None => {
                        row_problem(
                            "使用状态",
                            "invalid_choice",
                            format!("未知的使用状态「{v}」"),
                        );
                        None
                    }
                },
                None => None,
            };
            let variety_code = cell("品种代码").unwrap_or_default();
            if !variety_code.is_empty()
                && EquipmentParams::fields_for(&variety_code)
                    .iter()
                    .map(|f| f.key)
                    .ne(param_fields.iter().map(|f| f.key))
            {
                row_problem(
                    "品种代码",
                    "wrong_template",
                    format!("品种 {variety_code} 的参数与本模板不同，请使用它自己的导入模板"),
                );
            }
            let district_code = cell("辖区代码").unwrap_or_default();
            if !district_code.is_empty() && !districts.contains(&district_code) {
                row_problem(
                    "辖区代码",
                    "unknown_district",
                    format!("未知的辖区代码「{district_code}」"),
                );
            }
            let mut params = Map::new();
            for f in param_fields {
                if let Some(v) = cell(&param_header(f)) {
                    params.insert(f.key.to_owned(), Value::String(v));
                }
            }
            let fields = EquipmentFields {
                variety_code,
                equipment_code: cell("设备代码"),
                registration_code: cell("注册代码"),
                use_certificate_no: cell("使用登记证编号"),
                internal_no: cell("单位内编号"),
                factory_no: cell("出厂编号"),
                model: cell("设备型号"),
                manufacturer: cell("制造单位"),
                manufacture_date: dates.get("制造日期").copied(),
                commissioning_date: dates.get("投入使用日期").copied(),
                registration_date: dates.get("登记日期").copied(),
                install_location: cell("使用地点").unwrap_or_default(),
                district_code,
                use_status,
                registration_status: Some(RegistrationStatus::Registered),
                next_inspection_date: dates.get("下次检验日期").copied(),
                params: Value::Object(params),
            };
            for code in [&fields.registration_code, &fields.equipment_code]
                .into_iter()
                .flatten()
            {
                if !seen_codes.insert(code.to_uppercase()) {
                    row_problem(
                        "注册代码",
                        "duplicate_in_file",
                        format!("{code} 在文件中重复出现"),
                    );
                }
            }
            row_codes.push((
                line,
                fields.registration_code.clone(),
                fields.equipment_code.clone(),
            ));
            match check_fields(&fields) {
                Ok(checked) => {
                    if let Some(enterprise_id) = enterprise_id {
                        rows.push((line, enterprise_id, fields, checked));
                    }
                }
                Err(AppError::Validation(errors)) => {
                    for e in errors {
                        let column = column_of(&e.pointer, param_fields);
                        row_problem(&column, &e.code, e.detail);
                    }
                }
                Err(other) => return Err(other),
            }
        }
        // Codes already in the register.
        let codes: Vec<String> = row_codes
            .iter()
            .flat_map(|(_, r, e)| [r, e])
            .flatten()
            .map(|c| c.to_uppercase())
            .collect();
        if !codes.is_empty() {
            let existing = equipment::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(equipment::Column::RegistrationCode.is_in(codes.clone()))
                        .add(equipment::Column::EquipmentCode.is_in(codes)),
                )
                .all(&self.db)
                .await?;
            let taken: HashSet<String> = existing
                .into_iter()
                .flat_map(|e| [e.registration_code, e.equipment_code])
                .flatten()
                .collect();
            for (line, registration_code, equipment_code) in &row_codes {
                for (code, column) in [
                    (registration_code, "注册代码"),
                    (equipment_code, "设备代码"),
                ] {
                    if let Some(code) = code
                        && taken.contains(&code.to_uppercase())
                    {
                        problems.push(Problem {
                            line: *line,
                            column: column.into(),
                            code: "already_registered".into(),
                            detail: format!("{code} 已在平台上"),
                        });
                    }
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(AppError::Validation(
                problems
                    .into_iter()
                    .map(|p| FieldError {
                        pointer: format!("/rows/{}/{}", p.line, p.column),
                        code: p.code,
                        detail: if p.column.is_empty() {
                            format!("第 {} 行：{}", p.line, p.detail)
                        } else {
                            format!("第 {} 行「{}」：{}", p.line, p.column, p.detail)
                        },
                    })
                    .collect(),
            ));
        }
        if rows.is_empty() {
            return Err(AppError::field("/file", "empty_file", "文件中没有数据行"));
        }
        let txn = self.begin_write().await?;
        let n = rows.len();
        for (_, enterprise_id, fields, checked) in rows {
            insert_checked(&txn, actor, enterprise_id, &fields, checked).await?;
        }
        txn.commit().await?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

/// The template column of a field pointer from the domain checks.
fn column_of(pointer: &str, params: &[ParamField]) -> String {
    if let Some(key) = pointer.strip_prefix("/params/") {
        return params
            .iter()
            .find(|f| f.key == key)
            .map_or_else(|| key.to_owned(), param_header);
    }
    BASE_COLUMNS
        .iter()
        .find(|(_, p, _)| *p == pointer)
        .map_or_else(
            || pointer.trim_start_matches('/').to_owned(),
            |(h, _, _)| (*h).to_owned(),
        )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::date;

    use super::*;

    #[test]
    fn dates_as_people_type_them() {
        for text in ["2024-03-15", "2024/3/15", " 2024.03.15 ", "2024年3月15日"] {
            assert_eq!(parse_date(text), Some(date!(2024 - 03 - 15)), "{text}");
        }
        for text in ["昨天", "2024-02-30", "15/03/2024", "2024-03-15 08:00:00"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn xlsx_template_has_the_csv_columns() {
        let bytes = template_xlsx("3110").unwrap();
        let table = tabular::read_xlsx(&bytes, 10).unwrap();
        let csv = template("3110").unwrap();
        let csv_headers: Vec<&str> = csv
            .trim_start_matches('\u{feff}')
            .trim_end()
            .split(',')
            .collect();
        assert_eq!(table.headers, csv_headers);
        assert!(table.rows.is_empty());
    }
}
