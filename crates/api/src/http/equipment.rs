//! `/equipment`: the register (manual §4): search, the four lists, overview, archive, timeline,
//! CSV/XLSX export, and the institute's create, edit, import and inspection recording.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use futures_util::StreamExt;
use tejian_contract::equipment::{
    EquipmentDetail, EquipmentFields, EquipmentQuery, EquipmentSaved, EquipmentSummary,
    ExportFormat, ImportReport, MAX_IMPORT_BYTES, NewEquipment, NewInspection, Overview,
    TimelineEvent, XLSX_CONTENT_TYPE,
};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::problem::Problem;

use super::extract::{AuthUser, StaffUser, body_within};
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// Checks paging bounds, answering `validation_failed` with the offending parameter.
pub fn paging(query: PageQuery) -> AppResult<tejian_contract::list::Paging> {
    query
        .resolve()
        .map_err(|e| AppError::field(&format!("/{}", e.field), "out_of_range", e.detail))
}

/// 设备查询 / 超期 / 不合格 / 非在用 / 即将到期
///
/// 一个接口服务手册 4.2–4.6 的全部列表：`view` 选择列表，其余参数为基本条件和「更多条件」，全部
/// 条件同时满足；不带条件返回全部设备。企业用户只能看到本单位的设备；监管局看到本辖区；检验院
/// 看到全部。`format=csv|xlsx` 导出当前条件下的全部记录（CSV 为 UTF-8 带 BOM；中文表头；最多 50,000 条）。
#[utoipa::path(
    get, path = "/api/v1/equipment", tag = "设备",
    params(EquipmentQuery),
    responses(
        (status = 200, description = "设备分页列表；format=csv|xlsx 时为文件", content(
            (Page<EquipmentSummary> = "application/json"),
            (String = "text/csv"),
            (inline(XlsxFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "查询参数格式错误", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "参数超出范围（分页、天数、日期区间、排序字段）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<EquipmentQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let Some(format) = query.format else {
        return Ok(HttpResponse::Ok().json(svc.equipment_list(&user.0, &query).await?));
    };
    let disposition = |ext: &str| {
        format!(
            "attachment; filename=\"equipment.{ext}\"; filename*=UTF-8''%E8%AE%BE%E5%A4%87%E6%B8%85%E5%8D%95.{ext}"
        )
    };
    match format {
        // CSV streams row by row from a database cursor: constant memory for any export size.
        ExportFormat::Csv => {
            let rows = svc.equipment_export_stream(&user.0, &query)?;
            let header = futures_util::stream::once(async {
                Ok::<_, AppError>(web::Bytes::from(csv_header()))
            });
            let lines = tokio_stream_of(rows).map(|row| {
                row.map(|summary| web::Bytes::from(csv_line(&export_row(&summary))))
                    .inspect_err(|e| tracing::error!(error = %e, "equipment export stopped"))
            });
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((header::CONTENT_DISPOSITION, disposition("csv")))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .streaming(header.chain(lines)))
        }
        // A workbook is a zip written at the end: built in memory, bounded by EXPORT_LIMIT rows.
        ExportFormat::Xlsx => {
            let rows: Vec<[String; 16]> = svc
                .equipment_export(&user.0, &query)
                .await?
                .iter()
                .map(export_row)
                .collect();
            Ok(HttpResponse::Ok()
                .content_type(XLSX_CONTENT_TYPE)
                .insert_header((header::CONTENT_DISPOSITION, disposition("xlsx")))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(xlsx(&rows).map_err(AppError::internal)?))
        }
    }
}

/// The rows of a channel as a stream.
fn tokio_stream_of<T>(
    mut rx: tokio::sync::mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

const EXPORT_HEADERS: [&str; 16] = [
    "使用单位",
    "设备种类",
    "设备品种",
    "注册代码",
    "设备代码",
    "使用登记证编号",
    "单位内编号",
    "使用地点",
    "辖区",
    "使用状态",
    "注册状态",
    "上次检验日期",
    "下次检验日期",
    "超期天数",
    "最近检验结论",
    "受理状态",
];

/// The exported cells of a row, in [`EXPORT_HEADERS`] order.
fn export_row(r: &EquipmentSummary) -> [String; 16] {
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    [
        r.enterprise_name.clone(),
        r.category_name.clone(),
        r.variety_name.clone(),
        r.registration_code.clone().unwrap_or_default(),
        r.equipment_code.clone().unwrap_or_default(),
        r.use_certificate_no.clone().unwrap_or_default(),
        r.internal_no.clone().unwrap_or_default(),
        r.install_location.clone(),
        r.district_code.clone(),
        r.use_status.label_zh().to_owned(),
        r.registration_status.label_zh().to_owned(),
        date(r.last_inspection_date),
        date(r.next_inspection_date),
        r.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
        r.last_outcome
            .map(|o| o.label_zh().to_owned())
            .unwrap_or_default(),
        r.application_status.label_zh().to_owned(),
    ]
}

/// An Excel workbook with one sheet 设备清单; every cell is text (codes keep their leading zeros).
fn xlsx(rows: &[[String; 16]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("设备清单")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, h) in (0u16..).zip(EXPORT_HEADERS) {
        sheet.write_string_with_format(0, col, h, &bold)?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, value) in (0u16..).zip(cells) {
            sheet.write_string(row, col, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// One CSV field: always quoted, quotes doubled. A leading =, +, -, @, tab or carriage return can
/// start a formula in spreadsheet programs (OWASP CSV injection): prefix an apostrophe.
fn csv_field(out: &mut String, value: &str) {
    out.push('"');
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        out.push('\'');
    }
    out.push_str(&value.replace('"', "\"\""));
    out.push('"');
}

/// One CSV record with its line end.
fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for (i, v) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, v.as_ref());
    }
    out.push_str("\r\n");
    out
}

/// The BOM (so spreadsheet programs read the Chinese text as UTF-8) and the header record.
fn csv_header() -> String {
    format!("\u{feff}{}", csv_line(&EXPORT_HEADERS))
}

/// 设备总览
///
/// 按设备种类统计数量：全部、在用、超期未检、30 天内到期、不合格、非在用（手册 4.1）。
#[utoipa::path(
    get, path = "/api/v1/equipment/overview", tag = "设备",
    responses(
        (status = 200, description = "各种类数量", body = Overview),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/overview")]
pub async fn overview(svc: web::Data<Services>, user: AuthUser) -> AppResult<web::Json<Overview>> {
    Ok(web::Json(svc.equipment_overview(&user.0).await?))
}

/// 设备档案
///
/// 基本信息、参数信息和检验信息（手册 4.2.4）。其他单位的设备与不存在的设备一样返回 404。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "设备档案", body = EquipmentDetail),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<EquipmentDetail>> {
    Ok(web::Json(
        svc.equipment_detail(&user.0, id.into_inner()).await?,
    ))
}

/// 设备时间线
///
/// 制造、投入使用、登记、每次检验、变更申请和状态变更，最近的在前。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}/timeline", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "事件", body = Vec<TimelineEvent>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/{id}/timeline")]
pub async fn timeline(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<TimelineEvent>>> {
    Ok(web::Json(
        svc.equipment_timeline(&user.0, id.into_inner()).await?,
    ))
}

/// 新建设备（检验院）
///
/// 注册代码和设备代码至少一个，按国家规则校验；使用登记证编号格式不规范时照样保存，并在
/// `warnings` 中提醒；参数按设备种类校验。
#[utoipa::path(
    post, path = "/api/v1/equipment", tag = "设备",
    request_body = NewEquipment,
    responses(
        (status = 201, description = "已新建", body = EquipmentSaved),
        (status = 403, description = "只有检验院可以新建设备", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误（逐项列出）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/equipment")]
pub async fn create(
    svc: web::Data<Services>,
    user: StaffUser,
    body: web::Json<NewEquipment>,
) -> AppResult<HttpResponse> {
    let saved = svc.create_equipment(&user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// 修改设备（检验院）
///
/// 整体替换可编辑字段；使用单位不在此修改（过户走状态变更）。
#[utoipa::path(
    put, path = "/api/v1/equipment/{id}", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    request_body = EquipmentFields,
    responses(
        (status = 200, description = "已保存", body = EquipmentSaved),
        (status = 403, description = "只有检验院可以修改设备", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误（逐项列出）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/equipment/{id}")]
pub async fn update(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<EquipmentFields>,
) -> AppResult<web::Json<EquipmentSaved>> {
    Ok(web::Json(
        svc.update_equipment(&user.0, id.into_inner(), body.into_inner())
            .await?,
    ))
}

/// 录入检验结果（检验院）
///
/// 追加一条检验记录；若是最新一次检验，按检验规则（TSG T7001 电梯年份表、容器安全状况等级、
/// 锅炉内外部检验等）推算下次检验日期并更新设备。不合格时下次检验日期不变，设备列入不合格设备，
/// 直到复检合格。
#[utoipa::path(
    post, path = "/api/v1/equipment/{id}/inspections", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    request_body = NewInspection,
    responses(
        (status = 201, description = "已录入；返回更新后的设备档案", body = EquipmentDetail),
        (status = 403, description = "只有检验院可以录入", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "检验类别、结论、日期或检验员有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/equipment/{id}/inspections")]
pub async fn record_inspection(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<NewInspection>,
) -> AppResult<HttpResponse> {
    let detail = svc
        .record_inspection(&user.0, id.into_inner(), body.into_inner())
        .await?;
    Ok(HttpResponse::Created().json(detail))
}

/// 导入参数。
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// 品种代码：决定模板中的参数列（如 `3110` 电梯、`3310` 自动扶梯、`1100` 锅炉）。
    pub variety: String,
}

/// Excel 工作簿（.xlsx）文件内容。
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct XlsxFile(Vec<u8>);

/// 导入模板参数。
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// 品种代码：决定模板中的参数列（如 `3110` 电梯、`3310` 自动扶梯、`1100` 锅炉）。
    pub variety: String,
    /// 模板格式：`csv`（默认）或 `xlsx`。
    pub format: Option<ExportFormat>,
}

/// 下载导入模板（检验院）
///
/// 中文表头，参数列随品种而定。`format=csv`（默认）：UTF-8 带 BOM，只有表头行，可用 Excel 编辑后
/// 另存为「CSV UTF-8」。`format=xlsx`：Excel 工作簿，第一个工作表「设备」为表头行（加粗、冻结；
/// 代码列为文本格式，日期列为日期格式），第二个工作表「填写说明」列出每列的填写要求。
#[utoipa::path(
    get, path = "/api/v1/equipment/import-template", tag = "设备",
    params(TemplateQuery),
    responses(
        (status = 200, description = "导入模板", content(
            (String = "text/csv"),
            (inline(XlsxFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 403, description = "只有检验院可以下载", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "未知的品种代码", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/import-template")]
pub async fn import_template(
    user: StaffUser,
    query: web::Query<TemplateQuery>,
) -> AppResult<HttpResponse> {
    use crate::services::equipment_import;
    crate::services::equipment_admin::require_staff(&user.0)?;
    let (content_type, ext, body) = match query.format.unwrap_or(ExportFormat::Csv) {
        ExportFormat::Csv => (
            "text/csv; charset=utf-8",
            "csv",
            equipment_import::template(&query.variety)?.into_bytes(),
        ),
        ExportFormat::Xlsx => (
            XLSX_CONTENT_TYPE,
            "xlsx",
            equipment_import::template_xlsx(&query.variety)?,
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"equipment-template-{}.{ext}\"",
                query
                    .variety
                    .trim()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            ),
        ))
        .body(body))
}

/// 批量导入设备（检验院）
///
/// 请求体为按模板填写的 CSV（UTF-8）或 XLSX 工作簿（只读第一个工作表），最多 5,000 行、5 MB。
/// 格式按文件内容识别（XLSX 是 zip 文件），`Content-Type` 为 `text/csv` 或
/// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`；其他文件（PDF、图片、
/// 旧版 .xls、非 UTF-8 文本）以 422 拒绝（`unsupported_file_type`、`invalid_xlsx`、
/// `invalid_encoding`）。XLSX 的日期可以是日期单元格或文本，数字可以是数值单元格。逐行按国家规则
/// 校验；任何一行有问题则一台都不导入，并逐条列出「第几行、哪一列、原因」（`errors[].pointer` 形如
/// `/rows/3/注册代码`，行号与 Excel 显示的一致）。
#[utoipa::path(
    post, path = "/api/v1/equipment/import", tag = "设备",
    params(ImportQuery),
    request_body(description = "按模板填写的 CSV 或 XLSX 文件", content(
        (String = "text/csv"),
        (inline(XlsxFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )),
    responses(
        (status = 201, description = "全部导入", body = ImportReport),
        (status = 403, description = "只有检验院可以导入", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "文件超过 5 MB（payload_too_large）", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "有问题的行（一台都未导入），或文件不是 CSV/XLSX", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn import_handler(
    svc: web::Data<Services>,
    user: StaffUser,
    query: web::Query<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let body = body_within(&req, payload, MAX_IMPORT_BYTES).await?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let imported = svc
        .import_equipment(&user.0, &query.variety, &body, content_type)
        .await?;
    Ok(HttpResponse::Created().json(ImportReport { imported }))
}
