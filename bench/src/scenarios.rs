//! The scenarios: each endpoint as the API serves it and, for reads, the same result set by raw
//! SQL through the same database (the limit any service over this schema could reach).

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use serde_json::json;
use time::{Date, Duration};

use crate::load::{Call, call};

/// Who makes the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The enterprise user with the benchmark's 2,000 pieces of equipment.
    Enterprise,
    /// Institute staff, who see the whole data set.
    Institute,
}

impl Who {
    pub fn label(self) -> &'static str {
        match self {
            Who::Enterprise => "企业",
            Who::Institute => "检验院",
        }
    }
}

/// One SQL statement with its parameters, written with `$1`-style placeholders.
#[derive(Debug, Clone)]
pub struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    fn new(text: impl Into<String>, values: Vec<Value>) -> Self {
        Self {
            text: text.into(),
            values,
        }
    }

    /// The statement for `backend` (SQLite numbers its placeholders `?1`).
    pub fn statement(&self, backend: DbBackend) -> Statement {
        let text = match backend {
            DbBackend::Sqlite => self.text.replace('$', "?"),
            _ => self.text.clone(),
        };
        Statement::from_sql_and_values(backend, text, self.values.clone())
    }
}

/// A benchmark scenario.
pub struct Scenario {
    pub name: &'static str,
    pub who: Who,
    pub api: Call,
    /// The same result set by raw SQL, for reads.
    pub raw: Option<Call>,
    /// The raw statements of one request, for EXPLAIN.
    pub plan: Vec<Sql>,
    /// The scenario writes applications; the run removes them after each load run.
    pub writes: bool,
}

/// What the scenarios need to know of the data and the server.
#[derive(Clone)]
pub struct Context {
    pub base: String,
    pub http: reqwest::Client,
    pub db: DatabaseConnection,
    pub password: String,
    pub ent_user: String,
    pub staff_user: String,
    pub ent_token: String,
    pub staff_token: String,
    pub enterprise_id: i64,
    pub today: Date,
    /// The enterprise's equipment ids.
    pub ent_ids: Arc<Vec<i64>>,
    /// A spread of equipment ids over the whole data set.
    pub all_ids: Arc<Vec<i64>>,
    /// The enterprise's reports with a stored PDF.
    pub report_ids: Arc<Vec<i64>>,
    /// The enterprise's equipment that can be applied for now.
    pub applicable_ids: Arc<Vec<i64>>,
}

/// Lists count up to this many rows (the API's `COUNT_CAP`).
const COUNT_CAP: u64 = tejian_contract::list::COUNT_CAP;
const IN_USE: &str = "('in_use', 'in_use_unregistered')";
const GONE: &str = "('scrapped', 'dismantled', 'moved_out', 'junk', 'removed')";
const OPEN_ITEMS: &str = "('pending', 'accepted', 'scheduled', 'inspected')";

fn pick(ids: &[i64], n: u64) -> i64 {
    if ids.is_empty() {
        return 0;
    }
    // A multiplicative hash spreads consecutive numbers over the ids (no cache-friendly walk).
    let k = (n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 17) as usize % ids.len();
    ids[k]
}

/// Sends a request and reads the whole body; a status outside 2xx is an error.
async fn send(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        let text = String::from_utf8_lossy(&body);
        Err(format!(
            "{status}: {}",
            text.chars().take(200).collect::<String>()
        ))
    }
}

fn get(ctx: &Context, who: Who, path: impl Fn(u64) -> String + Send + Sync + 'static) -> Call {
    let http = ctx.http.clone();
    let base = ctx.base.clone();
    let token = match who {
        Who::Enterprise => ctx.ent_token.clone(),
        Who::Institute => ctx.staff_token.clone(),
    };
    call(move |n| {
        let request = http
            .get(format!("{base}/api/v1{}", path(n)))
            .bearer_auth(&token);
        send(request)
    })
}

fn post(
    ctx: &Context,
    who: Who,
    path: &str,
    body: impl Fn(u64) -> serde_json::Value + Send + Sync + 'static,
) -> Call {
    let http = ctx.http.clone();
    let url = format!("{}/api/v1{path}", ctx.base);
    let token = match who {
        Who::Enterprise => Some(ctx.ent_token.clone()),
        Who::Institute => Some(ctx.staff_token.clone()),
    };
    call(move |n| {
        let mut request = http.post(&url).json(&body(n));
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        send(request)
    })
}

/// Runs the statements one after the other and reads every row.
pub async fn run_sql(db: &DatabaseConnection, statements: &[Sql]) -> Result<(), String> {
    let backend = db.get_database_backend();
    for sql in statements {
        let rows = db
            .query_all_raw(sql.statement(backend))
            .await
            .map_err(|e| e.to_string())?;
        std::hint::black_box(rows.len());
    }
    Ok(())
}

fn raw(ctx: &Context, statements: impl Fn(u64) -> Vec<Sql> + Send + Sync + 'static) -> Call {
    let db = ctx.db.clone();
    let statements = Arc::new(statements);
    call(move |n| {
        let db = db.clone();
        let statements = statements.clone();
        async move { run_sql(&db, &statements(n)).await }
    })
}

/// `WHERE` of one scope: the enterprise's rows or everything.
fn scope(who: Who, enterprise_id: i64, alias: &str) -> (String, Vec<Value>) {
    match who {
        Who::Enterprise => (
            format!("{alias}enterprise_id = $1"),
            vec![Value::from(enterprise_id)],
        ),
        Who::Institute => ("1 = 1".to_owned(), Vec::new()),
    }
}

/// Count (up to the cap, as the API counts) and first page of an equipment list, as the API's list does (its page also carries the
/// enterprise name and the open application state of each row).
fn list_sql(who: Who, enterprise_id: i64, condition: &str, extra: Vec<Value>) -> Vec<Sql> {
    let (scope_sql, mut values) = scope(who, enterprise_id, "e.");
    let offset = values.len();
    // Renumber the condition's placeholders after the scope's.
    let mut condition = condition.to_owned();
    for k in (1..=extra.len()).rev() {
        condition = condition.replace(&format!("${k}"), &format!("${}", k + offset));
    }
    values.extend(extra);
    let filter = format!("{scope_sql} AND ({condition})");
    vec![
        Sql::new(
            format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM equipment e WHERE {filter} LIMIT {}) c",
                COUNT_CAP + 1
            ),
            values.clone(),
        ),
        Sql::new(
            format!(
                "SELECT e.*, n.name AS enterprise_name, \
                 (SELECT MIN(a.state) FROM application_item a WHERE a.equipment_id = e.id \
                  AND a.state IN {OPEN_ITEMS}) AS application_state \
                 FROM equipment e JOIN enterprise n ON n.id = e.enterprise_id \
                 WHERE {filter} ORDER BY e.next_inspection_date ASC NULLS LAST, e.id ASC LIMIT 20"
            ),
            values,
        ),
    ]
}

fn date(d: Date) -> Value {
    Value::from(d)
}

/// Every scenario for one user.
pub fn scenarios(ctx: &Context, who: Who) -> Vec<Scenario> {
    let mut out = Vec::new();
    let eid = ctx.enterprise_id;
    let today = ctx.today;
    let mut list = |name: &'static str, query: String, condition: String, values: Vec<Value>| {
        let plan = list_sql(who, eid, &condition, values);
        let statements = plan.clone();
        out.push(Scenario {
            name,
            who,
            api: get(ctx, who, move |_| format!("/equipment?per_page=20{query}")),
            raw: Some(raw(ctx, move |_| statements.clone())),
            plan,
            writes: false,
        });
    };
    list("设备查询", String::new(), "1 = 1".to_owned(), Vec::new());
    let next_to = today + Duration::days(365);
    list(
        "设备查询 (更多条件)",
        format!(
            "&manufacturer=%E8%A5%BF%E5%A5%A5&location=%E6%A5%BC&next_from={today}&next_to={next_to}"
        ),
        "e.manufacturer LIKE $1 AND e.install_location LIKE $2 AND e.next_inspection_date >= $3 \
         AND e.next_inspection_date <= $4"
            .to_owned(),
        vec![
            Value::from("%西奥%"),
            Value::from("%楼%"),
            date(today),
            date(next_to),
        ],
    );
    list(
        "超期设备 (overdue)",
        "&view=overdue".to_owned(),
        format!(
            "e.use_status IN {IN_USE} AND e.next_inspection_date < $1 \
             AND (e.deferred_until IS NULL OR e.deferred_until < $1)"
        ),
        vec![date(today)],
    );
    list(
        "不合格设备 (unqualified)",
        "&view=unqualified".to_owned(),
        format!(
            "e.last_outcome = 'fail' AND e.use_status NOT IN {GONE} \
             AND e.registration_status <> 'cancelled'"
        ),
        Vec::new(),
    );
    list(
        "非在用设备 (inactive)",
        "&view=inactive".to_owned(),
        format!("e.use_status NOT IN {IN_USE} OR e.registration_status = 'cancelled'"),
        Vec::new(),
    );
    list(
        "即将到期 (expiring)",
        "&view=expiring".to_owned(),
        format!(
            "e.use_status IN {IN_USE} AND e.next_inspection_date >= $1 \
             AND e.next_inspection_date <= $2"
        ),
        vec![date(today), date(today + Duration::days(30))],
    );

    // 导出 (CSV, streamed): the enterprise's whole register; the raw side reads the same rows.
    if who == Who::Enterprise {
        let export = vec![Sql::new(
            format!(
                "SELECT e.*, n.name AS enterprise_name, \
                 (SELECT MIN(a.state) FROM application_item a WHERE a.equipment_id = e.id \
                  AND a.state IN {OPEN_ITEMS}) AS application_state \
                 FROM equipment e JOIN enterprise n ON n.id = e.enterprise_id \
                 WHERE e.enterprise_id = $1 ORDER BY e.next_inspection_date ASC NULLS LAST, e.id ASC"
            ),
            vec![Value::from(eid)],
        )];
        let statements = export.clone();
        out.push(Scenario {
            name: "设备导出 (CSV)",
            who,
            api: get(ctx, who, |_| "/equipment?format=csv".to_owned()),
            raw: Some(raw(ctx, move |_| statements.clone())),
            plan: export,
            writes: false,
        });
    }

    // 设备总览: one pass with conditional sums (the API's query; staff get a copy at most a minute
    // old, see docs/decisions.md).
    let (scope_sql, values) = scope(who, eid, "");
    let overview = vec![Sql::new(
        format!(
            "SELECT category_code, COUNT(*), \
             SUM(CASE WHEN use_status IN {IN_USE} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN use_status IN {IN_USE} AND next_inspection_date < $T \
                 AND (deferred_until IS NULL OR deferred_until < $T) THEN 1 ELSE 0 END), \
             SUM(CASE WHEN use_status IN {IN_USE} AND next_inspection_date >= $T \
                 AND next_inspection_date <= $U THEN 1 ELSE 0 END), \
             SUM(CASE WHEN last_outcome = 'fail' AND use_status NOT IN {GONE} \
                 AND registration_status <> 'cancelled' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN use_status NOT IN {IN_USE} OR registration_status = 'cancelled' \
                 THEN 1 ELSE 0 END) \
             FROM equipment WHERE {scope_sql} GROUP BY category_code"
        )
        .replace("$T", &format!("${}", values.len() + 1))
        .replace("$U", &format!("${}", values.len() + 2)),
        [values, vec![date(today), date(today + Duration::days(30))]].concat(),
    )];
    let statements = overview.clone();
    out.push(Scenario {
        name: "设备总览 (overview)",
        who,
        api: get(ctx, who, |_| "/equipment/overview".to_owned()),
        raw: Some(raw(ctx, move |_| statements.clone())),
        plan: overview,
        writes: false,
    });

    // 设备档案: one piece with its enterprise and inspection history.
    let ids = match who {
        Who::Enterprise => ctx.ent_ids.clone(),
        Who::Institute => ctx.all_ids.clone(),
    };
    let archive = move |id: i64| {
        let (extra, mut values) = match who {
            Who::Enterprise => (" AND e.enterprise_id = $2", vec![Value::from(eid)]),
            Who::Institute => ("", Vec::new()),
        };
        values.insert(0, Value::from(id));
        vec![
            Sql::new(
                format!(
                    "SELECT e.*, n.name FROM equipment e JOIN enterprise n ON n.id = e.enterprise_id \
                     WHERE e.id = $1{extra}"
                ),
                values,
            ),
            Sql::new(
                "SELECT * FROM inspection WHERE equipment_id = $1 ORDER BY inspection_date DESC, id DESC",
                vec![Value::from(id)],
            ),
        ]
    };
    let api_ids = ids.clone();
    let raw_ids = ids.clone();
    out.push(Scenario {
        name: "设备档案 (archive)",
        who,
        api: get(ctx, who, move |n| {
            format!("/equipment/{}", pick(&api_ids, n))
        }),
        raw: Some(raw(ctx, move |n| archive(pick(&raw_ids, n)))),
        plan: archive(pick(&ids, 0)),
        writes: false,
    });

    // 检验报告 list: this year's reports, newest first, with equipment, enterprise and notices.
    let year = today.year();
    let (start, end) = (
        Date::from_calendar_date(year, time::Month::January, 1).unwrap_or(today),
        Date::from_calendar_date(year + 1, time::Month::January, 1).unwrap_or(today),
    );
    let (scope_sql, values) = scope(who, eid, "r.");
    let k = values.len();
    let filter = format!(
        "{scope_sql} AND r.inspection_date >= ${} AND r.inspection_date < ${}",
        k + 1,
        k + 2
    );
    let values = [values, vec![date(start), date(end)]].concat();
    let reports = vec![
        Sql::new(
            format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM report r WHERE {filter} LIMIT {}) c",
                COUNT_CAP + 1
            ),
            values.clone(),
        ),
        Sql::new(
            format!(
                "SELECT r.*, e.registration_code, e.equipment_code, e.variety_code, n.name, \
                 (SELECT COUNT(*) FROM opinion_notice o WHERE o.report_id = r.id) AS notices \
                 FROM report r JOIN equipment e ON e.id = r.equipment_id \
                 JOIN enterprise n ON n.id = r.enterprise_id \
                 WHERE {filter} ORDER BY r.inspection_date DESC, r.id DESC LIMIT 20"
            ),
            values,
        ),
    ];
    let statements = reports.clone();
    out.push(Scenario {
        name: "检验报告列表",
        who,
        api: get(ctx, who, |_| "/reports?per_page=20".to_owned()),
        raw: Some(raw(ctx, move |_| statements.clone())),
        plan: reports,
        writes: false,
    });

    // 报告下载: the zip of a stored PDF; the raw side can only fetch the row (the file read and
    // the zip are not SQL), so its ratio says what the file work costs.
    let report_ids = ctx.report_ids.clone();
    let raw_reports = ctx.report_ids.clone();
    let download = move |id: i64| {
        vec![Sql::new(
            "SELECT * FROM report WHERE id = $1",
            vec![Value::from(id)],
        )]
    };
    out.push(Scenario {
        name: "报告下载 (zip)",
        who,
        api: get(ctx, who, move |n| {
            format!("/reports/{}/download", pick(&report_ids, n))
        }),
        raw: Some(raw(ctx, move |n| download(pick(&raw_reports, n)))),
        plan: Vec::new(),
        writes: false,
    });

    // 计费 (no database work), 登录 (argon2 by design).
    out.push(Scenario {
        name: "费用估算",
        who,
        api: post(
            ctx,
            who,
            "/fees/estimate",
            |_| json!({"variety": "1100", "params": {"rated_evaporation_t_h": "4"}}),
        ),
        raw: None,
        plan: Vec::new(),
        writes: false,
    });
    let username = match who {
        Who::Enterprise => ctx.ent_user.clone(),
        Who::Institute => ctx.staff_user.clone(),
    };
    let password = ctx.password.clone();
    let http = ctx.http.clone();
    let url = format!("{}/api/v1/auth/login", ctx.base);
    out.push(Scenario {
        name: "登录",
        who,
        api: call(move |_| {
            send(
                http.post(&url)
                    .json(&json!({"username": username, "password": password})),
            )
        }),
        raw: None,
        plan: Vec::new(),
        writes: false,
    });

    // 网上报检: one piece per application, each from the pool of equipment that can be applied
    // for; what the run wrote is removed after it, so reruns find the same pool.
    if who == Who::Enterprise {
        let pool = ctx.applicable_ids.clone();
        out.push(Scenario {
            name: "报检申请提交",
            who,
            api: post(ctx, who, "/inspection-applications", move |n| {
                let id = usize::try_from(n)
                    .ok()
                    .and_then(|n| pool.get(n))
                    .copied()
                    .unwrap_or(0);
                json!({
                    "contact_name": "基准 联系人",
                    "contact_phone": "13957200001",
                    "contact_address": "湖州市吴兴区人民路 88 号",
                    "items": [{"equipment_id": id}],
                })
            }),
            raw: None,
            plan: Vec::new(),
            writes: true,
        });
    }
    out
}

/// The highest application id now (submissions after it are the benchmark's own).
pub async fn max_application_id(db: &DatabaseConnection) -> Result<i64, String> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(id), 0) FROM inspection_application",
        ))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no row")?;
    row.try_get_by_index::<i64>(0).map_err(|e| e.to_string())
}

/// Removes the applications the benchmark submitted (ids above `after`).
pub async fn remove_applications(db: &DatabaseConnection, after: i64) -> Result<(), String> {
    run_sql(
        db,
        &[
            Sql::new(
                "DELETE FROM application_item WHERE application_id > $1",
                vec![Value::from(after)],
            ),
            Sql::new(
                "DELETE FROM inspection_application WHERE id > $1",
                vec![Value::from(after)],
            ),
        ],
    )
    .await
}
