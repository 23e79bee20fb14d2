//! 批量导入 (institute): equipment from CSV, one template per parameter family, headers in
//! Chinese. Every bad row is reported with its line, column and reason, and nothing is imported
//! unless every row is good (one transaction).

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Map, Value};
use tejian_contract::equipment::EquipmentFields;
use tejian_contract::problem::FieldError;
use tejian_domain::equipment::params::{EquipmentParams, ParamField};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use time::Date;

use super::equipment_admin::{check_fields, insert_checked, staff_only};
use super::{Actor, Services};
use crate::error::{AppError, AppResult};
use crate::store::entity::{district, enterprise, equipment};

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

/// The CSV template for the parameter family of `variety` (UTF-8 with BOM, header row only).
pub fn template(variety: &str) -> AppResult<String> {
    let fields = EquipmentParams::fields_for(variety);
    if tejian_domain::catalogue::find(variety.trim()).is_none() {
        return Err(AppError::field(
            "/variety",
            "unknown_variety",
            "未知的品种代码",
        ));
    }
    let mut headers: Vec<String> = BASE_COLUMNS
        .iter()
        .map(|(h, _, _)| (*h).to_owned())
        .collect();
    headers.extend(fields.iter().map(param_header));
    Ok(format!("\u{feff}{}\r\n", headers.join(",")))
}

fn parse_date(value: &str) -> Option<Date> {
    let normalised = value.trim().replace(['/', '.'], "-");
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
    /// Imports every row of `csv_text` as new equipment, or none.
    pub async fn import_equipment(
        &self,
        actor: &Actor,
        variety: &str,
        csv_text: &str,
    ) -> AppResult<u64> {
        staff_only(actor)?;
        let param_fields = EquipmentParams::fields_for(variety);
        if tejian_domain::catalogue::find(variety.trim()).is_none() {
            return Err(AppError::field(
                "/variety",
                "unknown_variety",
                "未知的品种代码",
            ));
        }
        let text = csv_text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| AppError::field("/file", "invalid_csv", format!("无法读取表头: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
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
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            if n >= MAX_IMPORT_ROWS {
                return Err(AppError::field(
                    "/file",
                    "too_many_rows",
                    format!("一次最多导入 {MAX_IMPORT_ROWS} 行"),
                ));
            }
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(Problem {
                        line,
                        column: String::new(),
                        code: "invalid_csv".into(),
                        detail: e.to_string(),
                    });
                    continue;
                }
            };
            let cell = |header: &str| -> Option<String> {
                index
                    .get(header)
                    .and_then(|&i| record.get(i))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let mut row_problem = |column: &str, code: &str, detail: String| {
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
            for header in ["制造日期", "投入使用日期", "登记日期", "下次检验日期"]
            {
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
        let codes: Vec<String> = rows
            .iter()
            .flat_map(|(_, _, f, _)| [f.registration_code.clone(), f.equipment_code.clone()])
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
            for (line, _, f, _) in &rows {
                for (code, column) in [
                    (&f.registration_code, "注册代码"),
                    (&f.equipment_code, "设备代码"),
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
        let txn = self.db.begin().await?;
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
