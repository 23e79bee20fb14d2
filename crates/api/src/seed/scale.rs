//! City and province scale data (issue 7): tens of thousands of enterprises, up to a million
//! pieces of equipment with years of inspections, applications, reports, notices and payment
//! notices, written through multi-row inserts in a few large transactions.
//!
//! Deterministic: the same seed number on the same day gives the same rows (dates are relative to
//! the day it runs, as in the demo data, so the overdue / expiring lists keep realistic sizes).
//! Ids are assigned here rather than by the database, so rows that point at each other can be
//! built before they are written; PostgreSQL's sequences are moved past them at the end.

use std::collections::HashMap;
use std::time::Instant;

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, IntoActiveModel,
    Statement, TransactionTrait,
};
use serde_json::json;
use tejian_domain::catalogue::EquipmentCategory;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::{Conclusion, InspectionType};
use tejian_domain::numbering;
use tejian_domain::payment::PaymentNoticeNo;
use time::{Date, Duration, OffsetDateTime};

use super::{
    DEMO_PASSWORD, Rng, certificate_char, conclusion_text, credit_code_for, interval_years,
    params_for, varieties,
};
use crate::auth::hash_password;
use crate::error::{AppError, AppResult};
use crate::services::{Services, local_today};
use crate::store::entity::{
    app_user, application_item, audit_log, bureau, conversation, conversation_message, district,
    enterprise, equipment, inspection, inspection_application, opinion_notice, payment_notice,
    payment_notice_item, report,
};

/// The enterprise user of the benchmark: admin of the enterprise with [`ScaleCounts::bench_equipment`].
pub const BENCH_ENTERPRISE_USER: &str = "bench-ent";
/// The institute staff member of the benchmark (sees the whole province).
pub const BENCH_INSTITUTE_USER: &str = "bench-institute";
/// The audit action that marks a database as seeded at scale; its entity id is the marker.
pub const MARKER_ACTION: &str = "scale_seed";

/// How many rows to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleCounts {
    pub enterprises: usize,
    pub equipment: usize,
    /// Equipment of the benchmark enterprise (the first one), part of `equipment`.
    pub bench_equipment: usize,
    /// Report PDFs rendered for the benchmark enterprise (report download needs them).
    pub pdfs: u64,
}

impl ScaleCounts {
    /// A city: 30,000 enterprises, 300,000 pieces of equipment.
    pub const CITY: Self = Self {
        enterprises: 30_000,
        equipment: 300_000,
        bench_equipment: 2_000,
        pdfs: 20,
    };
    /// A province: 100,000 enterprises, 1,000,000 pieces of equipment.
    pub const PROVINCE: Self = Self {
        enterprises: 100_000,
        equipment: 1_000_000,
        bench_equipment: 2_000,
        pdfs: 20,
    };
    /// A few hundred rows, for tests.
    pub const TEST: Self = Self {
        enterprises: 40,
        equipment: 600,
        bench_equipment: 120,
        pdfs: 2,
    };

    /// `city`, `province` or `test`.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "city" => Some(Self::CITY),
            "province" => Some(Self::PROVINCE),
            "test" => Some(Self::TEST),
            _ => None,
        }
    }
}

/// The marker written into the audit log of a seeded database, e.g. `scale=city;seed=1`.
pub fn marker(scale: &str, seed: u64) -> String {
    format!("scale={scale};seed={seed}")
}

/// Rows and insert time of one table.
#[derive(Debug, Clone)]
pub struct TableSpeed {
    pub table: &'static str,
    pub rows: u64,
    pub seconds: f64,
}

impl TableSpeed {
    pub fn rows_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.rows as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// What a scale seed wrote and how fast.
#[derive(Debug, Clone)]
pub struct ScaleReport {
    pub tables: Vec<TableSpeed>,
    pub total_seconds: f64,
    /// Report PDFs rendered for the benchmark enterprise and the mean time of one, in ms.
    pub pdfs: usize,
    pub pdf_render_ms: f64,
}

impl ScaleReport {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map_or(0, |t| t.rows)
    }

    /// Lines for stdout: one per table, then the total.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .tables
            .iter()
            .map(|t| {
                format!(
                    "  {:<22} {:>10} 行  {:>8.2} s  {:>10.0} 行/s",
                    t.table,
                    t.rows,
                    t.seconds,
                    t.rows_per_second()
                )
            })
            .collect();
        let rows: u64 = self.tables.iter().map(|t| t.rows).sum();
        lines.push(format!(
            "  合计 {rows} 行, {:.1} s ({:.0} 行/s); 报告 PDF {} 份, 平均 {:.1} ms/份",
            self.total_seconds,
            rows as f64 / self.total_seconds.max(1e-9),
            self.pdfs,
            self.pdf_render_ms
        ));
        lines
    }
}

/// Huzhou's districts with the words their enterprise names start with.
const DISTRICTS: &[(&str, &str)] = &[
    ("330502", "湖州吴兴"),
    ("330503", "湖州南浔"),
    ("330521", "德清"),
    ("330522", "长兴"),
    ("330523", "安吉"),
    ("330590", "湖州南太湖"),
];
const BRANDS: &[&str] = &[
    "金鼎", "华盛", "恒达", "太湖", "天荒", "新材", "振兴", "永丰", "瑞祥", "鸿运", "宏图", "康达",
    "德润", "中信", "凤凰", "竹海", "长虹", "荣盛", "东方", "南方", "明珠", "万象", "嘉禾", "锦绣",
];
const TRADES: &[&str] = &[
    "物业管理",
    "纺织",
    "木业",
    "电机",
    "新材料科技",
    "热电",
    "水泥",
    "椅业",
    "物流",
    "化工",
    "机械制造",
    "食品",
    "建材",
    "印染",
    "电梯工程",
    "房地产开发",
    "酒店管理",
    "商贸",
];
const INSTITUTIONS: &[&str] = &["人民医院", "中学", "职业技术学院", "社会福利院", "水务中心"];
const PEOPLE: &[&str] = &[
    "王建国",
    "李秀英",
    "张伟",
    "刘洋",
    "陈静",
    "沈国强",
    "钱丽",
    "吴斌",
    "姚芳",
    "潘磊",
];
const INSPECTORS: &[&str] = &["周明", "徐亮", "孙浩", "朱婷", "郑凯", "冯雪"];
/// Category weights (per mille), close to a Chinese city's register: mostly elevators and vessels.
const CATEGORY_WEIGHTS: &[(char, u64)] = &[
    ('3', 450),
    ('2', 250),
    ('5', 120),
    ('4', 80),
    ('8', 40),
    ('1', 30),
    ('R', 18),
    ('6', 10),
    ('9', 2),
];

/// Sizes of the multi-row insert statements: PostgreSQL allows 65,535 bound values per statement,
/// SQLite 32,766.
fn max_values_per_statement(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Sqlite => 32_000,
        _ => 60_000,
    }
}
/// Equipment per transaction (with everything hanging off it): bounds the memory of a batch.
const EQUIPMENT_PER_TRANSACTION: usize = 50_000;

fn days(n: u64) -> Duration {
    Duration::days(i64::try_from(n).unwrap_or(0))
}

/// A piece of equipment and what the later tables need to know of it.
struct Unit {
    model: equipment::Model,
    last_inspection_id: i64,
    conclusion: Conclusion,
}

/// Rows generated for one transaction, in foreign-key order.
#[derive(Default)]
struct Batch {
    equipment: Vec<equipment::ActiveModel>,
    inspections: Vec<inspection::ActiveModel>,
    applications: Vec<inspection_application::ActiveModel>,
    items: Vec<application_item::ActiveModel>,
    reports: Vec<report::ActiveModel>,
    notices: Vec<opinion_notice::ActiveModel>,
    payment_notices: Vec<payment_notice::ActiveModel>,
    payment_items: Vec<payment_notice_item::ActiveModel>,
}

/// Next ids of every table written here.
#[derive(Default)]
struct Ids {
    equipment: i64,
    inspection: i64,
    application: i64,
    item: i64,
    report: i64,
    notice: i64,
    payment_notice: i64,
    payment_item: i64,
}

fn next(id: &mut i64) -> i64 {
    *id += 1;
    *id
}

/// Inserts `rows` in statements of at most [`max_values_per_statement`] values and adds the time
/// to `speed`.
async fn insert_all<C, A>(
    conn: &C,
    rows: Vec<A>,
    columns: usize,
    speed: &mut TableSpeed,
) -> AppResult<()>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
{
    let started = Instant::now();
    let per_statement =
        (max_values_per_statement(conn.get_database_backend()) / columns.max(1)).max(1);
    let n = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    speed.rows += n as u64;
    speed.seconds += started.elapsed().as_secs_f64();
    Ok(())
}

/// Bytes for a random code part, made from a number so the codes are unique.
fn entropy_of<const N: usize>(mut n: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for b in out.iter_mut().rev() {
        *b = u8::try_from(n % 31).unwrap_or(0);
        n /= 31;
    }
    out
}

fn at(date: Date, hour: u8) -> OffsetDateTime {
    date.with_hms(hour.min(23), 0, 0)
        .map(|t| t.assume_utc())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Writes a city or province into an empty database. `scale` names the counts in the marker.
pub async fn seed_scale(
    services: &Services,
    scale: &str,
    counts: ScaleCounts,
    seed: u64,
) -> AppResult<ScaleReport> {
    let db = &services.db;
    if !super::is_empty(db).await? {
        return Err(AppError::internal("数据库已有数据: 规模数据只写入空数据库"));
    }
    if counts.enterprises == 0 || counts.bench_equipment > counts.equipment {
        return Err(AppError::internal("规模参数有误"));
    }
    let started = Instant::now();
    let mut rng = Rng(seed ^ 0x7E71_A4D0_5CA1_E000);
    let today = local_today();
    let now = at(today, 1);
    let mut speeds: Vec<TableSpeed> = [
        "enterprise",
        "app_user",
        "equipment",
        "inspection",
        "inspection_application",
        "application_item",
        "report",
        "opinion_notice",
        "payment_notice",
        "payment_notice_item",
        "conversation",
        "conversation_message",
    ]
    .into_iter()
    .map(|table| TableSpeed {
        table,
        rows: 0,
        seconds: 0.0,
    })
    .collect();

    // Enterprises: the first is the benchmark's; names, codes and districts from the rng.
    let mut enterprises = Vec::with_capacity(counts.enterprises);
    for n in 0..counts.enterprises {
        let (district, place) = if n == 0 {
            DISTRICTS[0]
        } else {
            *rng.pick(DISTRICTS)
        };
        let institution = n != 0 && rng.below(10) == 0;
        let name = if n == 0 {
            "湖州太湖电梯物业管理集团有限公司".to_owned()
        } else if institution {
            format!("{place}{}{}", rng.pick(BRANDS), rng.pick(INSTITUTIONS))
        } else {
            format!(
                "{place}{}{}{}有限公司",
                rng.pick(BRANDS),
                rng.pick(BRANDS),
                rng.pick(TRADES)
            )
        };
        let prefix = if institution { "12" } else { "91" };
        // The organisation-code part must be unique: an odd multiplier is a bijection mod 10^8.
        let body = format!("{:08}", (n as u64 * 7_919 + 10_301) % 100_000_000);
        let code = credit_code_for(prefix, district, &body)?;
        enterprises.push(enterprise::Model {
            id: i64::try_from(n + 1).unwrap_or(i64::MAX),
            name,
            credit_code: code,
            unit_type: "use_unit".to_owned(),
            district_code: district.to_owned(),
            address: format!("{place}{}路 {} 号", rng.pick(BRANDS), 1 + rng.below(400)),
            legal_representative: Some((*rng.pick(PEOPLE)).to_owned()),
            safety_manager: Some((*rng.pick(PEOPLE)).to_owned()),
            safety_manager_phone: Some(format!("138{:08}", rng.below(100_000_000))),
            contact_phone: Some(format!("0572-{:07}", 2_000_000 + rng.below(8_000_000))),
            email: None,
            created_at: now,
            updated_at: now,
        });
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    let user = |id: i64,
                username: String,
                name: String,
                role: &str,
                enterprise_id: Option<i64>|
     -> app_user::ActiveModel {
        app_user::Model {
            id,
            username,
            password_hash: hash.clone(),
            display_name: name,
            role: role.to_owned(),
            enterprise_id,
            enterprise_role: enterprise_id.map(|_| "admin".to_owned()),
            district_code: None,
            phone: None,
            email: None,
            must_change_password: false,
            disabled: false,
            password_changed_at: None,
            last_login_at: None,
            created_at: now,
            updated_at: now,
        }
        .into_active_model()
        .reset_all()
    };
    // One admin per enterprise (the usual case), plus the two benchmark accounts.
    let mut users = vec![
        user(
            1,
            BENCH_ENTERPRISE_USER.to_owned(),
            "基准 企业管理员".to_owned(),
            "enterprise",
            Some(1),
        ),
        user(
            2,
            BENCH_INSTITUTE_USER.to_owned(),
            "基准 检验院".to_owned(),
            "institute",
            None,
        ),
    ];
    for e in enterprises.iter().skip(1) {
        users.push(user(
            e.id + 1,
            format!("ent{:06}", e.id),
            e.safety_manager.clone().unwrap_or_default(),
            "enterprise",
            Some(e.id),
        ));
    }
    let bench_applicant = (1_i64, "基准 企业管理员".to_owned());
    // 交流互动: the bureau each district routes to (as the use case does), one staff member per
    // bureau, and a conversation for about one enterprise in thirty.
    let bureaus: HashMap<String, String> = {
        let mut routes: HashMap<String, String> = bureau::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.district_code, b.code))
            .collect();
        for d in district::Entity::find().all(db).await? {
            if let Some(code) = d.bureau_code {
                routes.insert(d.code, code);
            }
        }
        routes
    };
    let mut bureau_users: HashMap<String, i64> = HashMap::new();
    let mut next_user = i64::try_from(counts.enterprises).unwrap_or(0) + 1;
    let mut codes: Vec<&String> = bureaus.values().collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        next_user += 1;
        bureau_users.insert(code.clone(), next_user);
        let mut row = user(
            next_user,
            format!("bureau{code}"),
            "监管局 科员".to_owned(),
            "bureau",
            None,
        );
        row.district_code = sea_orm::Set(
            bureaus
                .iter()
                .find(|(_, b)| *b == code)
                .map(|(d, _)| d.clone()),
        );
        users.push(row);
    }
    let (conversations, messages) =
        conversations_of(&mut rng, &enterprises, &bureaus, &bureau_users, today);
    {
        let txn = services.db.begin().await?;
        let rows = enterprises
            .iter()
            .map(|e| e.clone().into_active_model().reset_all())
            .collect();
        insert_all(&txn, rows, 13, &mut speeds[0]).await?;
        insert_all(&txn, users, 16, &mut speeds[1]).await?;
        insert_all(&txn, conversations, 13, &mut speeds[10]).await?;
        insert_all(&txn, messages, 11, &mut speeds[11]).await?;
        txn.commit().await?;
    }

    // How much equipment each enterprise holds: a long tail (most have a few, some hundreds),
    // and no other enterprise reaches the benchmark enterprise's count.
    let mut per_enterprise = vec![0usize; counts.enterprises];
    per_enterprise[0] = counts.bench_equipment;
    let others = counts.enterprises - 1;
    let rest = counts.equipment - counts.bench_equipment;
    if others == 0 && rest > 0 {
        return Err(AppError::internal("规模参数有误: 只有一家单位"));
    }
    let cap = counts.bench_equipment.saturating_sub(1).max(1);
    for k in 0..rest {
        // Every enterprise first gets one; then skewed to the low numbers, half uniform.
        let mut pick = if k < others {
            k
        } else if rng.below(2) == 0 {
            let u = (rng.below(1_000_000) as f64) / 1_000_000.0;
            ((u * u) * others as f64) as usize
        } else {
            usize::try_from(rng.below(others as u64)).unwrap_or(0)
        };
        pick = pick.min(others - 1);
        if per_enterprise[pick + 1] >= cap {
            pick = usize::try_from(rng.below(others as u64)).unwrap_or(0);
        }
        per_enterprise[pick + 1] += 1;
    }

    let category_varieties: HashMap<char, Vec<&'static str>> = CATEGORY_WEIGHTS
        .iter()
        .map(|(c, _)| (*c, varieties(*c)))
        .collect();
    let weight_total: u64 = CATEGORY_WEIGHTS.iter().map(|(_, w)| w).sum();

    let mut ids = Ids::default();
    let mut batch = Batch::default();
    let mut batch_units = 0usize;
    for (e, count) in enterprises.iter().zip(per_enterprise.iter().copied()) {
        let mut units = Vec::with_capacity(count);
        for i in 0..count {
            let mut roll = rng.below(weight_total);
            let mut category = '3';
            for (c, w) in CATEGORY_WEIGHTS {
                if roll < *w {
                    category = *c;
                    break;
                }
                roll -= w;
            }
            let options = category_varieties
                .get(&category)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| AppError::internal("catalogue has no variety"))?;
            let variety = *rng.pick(options);
            let unit = equipment_unit(
                &mut rng, &mut ids, &mut batch, e, i, category, variety, today, now,
            )?;
            units.push(unit);
        }
        applications_of(
            services,
            &mut rng,
            &mut ids,
            &mut batch,
            e,
            &units,
            if e.id == 1 {
                bench_applicant.clone()
            } else {
                (e.id + 1, e.safety_manager.clone().unwrap_or_default())
            },
            today,
            now,
        )?;
        batch_units += count;
        if batch_units >= EQUIPMENT_PER_TRANSACTION {
            write_batch(db, std::mem::take(&mut batch), &mut speeds).await?;
            batch_units = 0;
        }
    }
    write_batch(db, batch, &mut speeds).await?;

    if db.get_database_backend() == DbBackend::Postgres {
        for table in [
            "enterprise",
            "app_user",
            "equipment",
            "inspection",
            "inspection_application",
            "application_item",
            "report",
            "opinion_notice",
            "payment_notice",
            "payment_notice_item",
            "conversation",
            "conversation_message",
        ] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
        // Fresh statistics, so the first queries are planned on the real sizes.
        // VACUUM as well: it sets the visibility map, so counts can be index-only scans, as on
        // a database that autovacuum has visited.
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    let (pdfs, pdf_render_ms) = render_bench_pdfs(services, counts.pdfs).await?;
    let report = ScaleReport {
        tables: speeds,
        total_seconds: started.elapsed().as_secs_f64(),
        pdfs,
        pdf_render_ms,
    };
    // The marker, so a benchmark can tell this database from another one and report the
    // speed of the run that wrote it.
    audit_log::ActiveModel {
        at: sea_orm::Set(now),
        actor_user_id: sea_orm::Set(None),
        actor_label: sea_orm::Set("tejian seed".to_owned()),
        action: sea_orm::Set(MARKER_ACTION.to_owned()),
        entity: sea_orm::Set("database".to_owned()),
        entity_id: sea_orm::Set(Some(marker(scale, seed))),
        enterprise_id: sea_orm::Set(None),
        before: sea_orm::Set(None),
        after: sea_orm::Set(Some(json!({
            "enterprises": counts.enterprises,
            "equipment": counts.equipment,
            "seeded_on": today.to_string(),
            "total_seconds": report.total_seconds,
            "pdfs": report.pdfs,
            "pdf_render_ms": report.pdf_render_ms,
            "tables": report.tables.iter().map(|t| json!({
                "table": t.table, "rows": t.rows, "seconds": t.seconds,
            })).collect::<Vec<_>>(),
        }))),
        client_addr: sea_orm::Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(report)
}

async fn write_batch(
    db: &DatabaseConnection,
    batch: Batch,
    speeds: &mut [TableSpeed],
) -> AppResult<()> {
    let txn = db.begin().await?;
    insert_all(&txn, batch.equipment, 26, &mut speeds[2]).await?;
    insert_all(&txn, batch.inspections, 12, &mut speeds[3]).await?;
    insert_all(&txn, batch.applications, 12, &mut speeds[4]).await?;
    insert_all(&txn, batch.items, 16, &mut speeds[5]).await?;
    insert_all(&txn, batch.reports, 28, &mut speeds[6]).await?;
    insert_all(&txn, batch.notices, 19, &mut speeds[7]).await?;
    insert_all(&txn, batch.payment_notices, 13, &mut speeds[8]).await?;
    insert_all(&txn, batch.payment_items, 5, &mut speeds[9]).await?;
    txn.commit().await?;
    Ok(())
}

const QUESTIONS: &[(&str, &str)] = &[
    (
        "电梯年检咨询",
        "请问我单位电梯定期检验到期前需要准备哪些资料？",
    ),
    (
        "停用设备报备",
        "锅炉房一台锅炉计划停用一年，需要到哪里办理停用手续？",
    ),
    ("叉车作业人员证书", "新招叉车司机的作业人员证书如何办理？"),
    (
        "压力容器改造",
        "储气罐拟更换安全阀，是否需要重新办理使用登记？",
    ),
];

/// Conversations with the district's bureau: waiting, answered or closed.
fn conversations_of(
    rng: &mut Rng,
    enterprises: &[enterprise::Model],
    bureaus: &HashMap<String, String>,
    bureau_users: &HashMap<String, i64>,
    today: Date,
) -> (
    Vec<conversation::ActiveModel>,
    Vec<conversation_message::ActiveModel>,
) {
    let mut conversations = Vec::new();
    let mut messages = Vec::new();
    let mut message_id = 0;
    for e in enterprises {
        let Some(bureau_code) = bureaus.get(&e.district_code) else {
            continue;
        };
        if e.id != 1 && rng.below(30) != 0 {
            continue;
        }
        let id = i64::try_from(conversations.len() + 1).unwrap_or(i64::MAX);
        let author = if e.id == 1 { 1 } else { e.id + 1 };
        let (subject, question) = *rng.pick(QUESTIONS);
        let started = at(today - days(1 + rng.below(300)), 2);
        let stage = rng.below(3);
        let answer = "请按《特种设备使用管理规则》办理，资料可在企业服务平台下载，如有疑问请致电。";
        let mut entry =
            |kind: &str, party: &str, user: i64, name: &str, content: Option<&str>, when| {
                message_id += 1;
                conversation_message::Model {
                    id: message_id,
                    conversation_id: id,
                    kind: kind.to_owned(),
                    party: party.to_owned(),
                    author_user_id: user,
                    author_name: name.to_owned(),
                    bureau_code: bureau_code.clone(),
                    content: content.map(str::to_owned),
                    from_bureau_code: None,
                    to_bureau_code: None,
                    created_at: when,
                }
                .into_active_model()
                .reset_all()
            };
        let officer = bureau_users.get(bureau_code).copied().unwrap_or(author);
        let manager = e.safety_manager.clone().unwrap_or_default();
        messages.push(entry(
            "message",
            "enterprise",
            author,
            &manager,
            Some(question),
            started,
        ));
        let replied = started + Duration::days(2);
        if stage >= 1 {
            messages.push(entry(
                "message",
                "bureau",
                officer,
                "监管局 科员",
                Some(answer),
                replied,
            ));
        }
        if stage == 2 {
            messages.push(entry(
                "close",
                "bureau",
                officer,
                "监管局 科员",
                None,
                replied + Duration::hours(1),
            ));
        }
        let (state, last_party, excerpt, last_at) = match stage {
            0 => ("awaiting_reply", "enterprise", question, started),
            1 => ("replied", "bureau", answer, replied),
            _ => ("closed", "bureau", answer, replied),
        };
        conversations.push(
            conversation::Model {
                id,
                enterprise_id: e.id,
                bureau_code: bureau_code.clone(),
                subject: subject.to_owned(),
                state: state.to_owned(),
                last_excerpt: tejian_domain::conversation::excerpt(
                    excerpt,
                    tejian_domain::conversation::EXCERPT_CHARS,
                ),
                last_party: last_party.to_owned(),
                last_message_at: last_at,
                created_by_user_id: author,
                created_at: started,
                updated_at: last_at,
                closed_at: (stage == 2).then(|| replied + Duration::hours(1)),
                idempotency_key: None,
            }
            .into_active_model()
            .reset_all(),
        );
    }
    (conversations, messages)
}

/// One piece of equipment with its inspection history.
#[allow(clippy::too_many_arguments)]
fn equipment_unit(
    rng: &mut Rng,
    ids: &mut Ids,
    batch: &mut Batch,
    e: &enterprise::Model,
    i: usize,
    category: char,
    variety: &'static str,
    today: Date,
    now: OffsetDateTime,
) -> AppResult<Unit> {
    let id = next(&mut ids.equipment);
    let serial = id as u64;
    let district = e.district_code.as_str();
    let years_in_service = 1 + rng.below(20);
    let commissioning = today - days(365 * years_in_service + rng.below(300));
    let manufacture = commissioning - days(60 + rng.below(300));
    let year = manufacture.year();
    let registered = commissioning + Duration::days(20);
    let registration_code = variety.chars().all(|c| c.is_ascii_digit()).then(|| {
        format!(
            "{variety}{district}{:04}{:02}{:04}",
            registered.year(),
            u8::from(registered.month()),
            serial % 10_000
        )
    });
    let equipment_code = Some(format!(
        "{variety}33{:03}{year}{:04}",
        100 + serial % 900,
        serial % 10_000
    ));
    let two_digits = variety
        .get(1..3)
        .filter(|d| d.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("00");
    let use_certificate_no = Some(format!(
        "{}{}浙E{:05}({:02})",
        certificate_char(variety),
        two_digits,
        serial % 100_000,
        registered.year() % 100
    ));
    // Shares of a real register: ~5 % overdue, ~6 % due within 30 days, ~2 % failed, some
    // stopped, scrapped or not yet in use; the rest due in one to two years.
    let roll = rng.below(1000);
    let (use_status, registration_status, next_date, fail) = match roll {
        0..50 => (
            UseStatus::InUse,
            RegistrationStatus::Registered,
            today - days(1 + rng.below(200)),
            false,
        ),
        50..110 => (
            UseStatus::InUse,
            RegistrationStatus::Registered,
            today + days(rng.below(30)),
            false,
        ),
        110..130 => (
            UseStatus::InUse,
            RegistrationStatus::Registered,
            today + days(20 + rng.below(200)),
            true,
        ),
        130..180 => (
            UseStatus::Stopped,
            RegistrationStatus::Registered,
            today - days(rng.below(400)),
            false,
        ),
        180..210 => (
            UseStatus::Scrapped,
            RegistrationStatus::Cancelled,
            today - days(100 + rng.below(500)),
            false,
        ),
        210..225 => (
            UseStatus::NotYetInUse,
            RegistrationStatus::Pending,
            today + days(200 + rng.below(200)),
            false,
        ),
        _ => (
            UseStatus::InUse,
            RegistrationStatus::Registered,
            today + days(31 + rng.below(700)),
            false,
        ),
    };
    let status_changed_on = (!use_status.is_active() && use_status != UseStatus::NotYetInUse)
        .then(|| today - days(10 + rng.below(300)));
    // One overdue piece in ten has an approved deferral, which keeps it off the overdue list.
    let deferred_until =
        (roll < 50 && rng.below(10) == 0).then(|| today + days(15 + rng.below(60)));
    let interval = interval_years(variety);
    let last = next_date
        .replace_year(next_date.year() - interval)
        .unwrap_or_else(|_| next_date - Duration::days(365));
    let last = if last > today {
        today - Duration::days(30)
    } else {
        last
    };
    let conclusion = Conclusion::normalise(conclusion_text(variety, fail))
        .map_err(|e| AppError::internal(e.to_string()))?;
    let location = format!(
        "{}{}",
        rng.pick(&[
            "1号楼",
            "2号楼",
            "3号楼",
            "车间A",
            "车间B",
            "锅炉房",
            "仓库",
            "园区东门",
            "主楼",
            "地下车库"
        ]),
        rng.pick(&["", " 东侧", " 西侧", " 地下一层", " 北门"])
    );
    let manufacturer = (*rng.pick(&[
        "浙江巨人控股有限公司",
        "杭州西奥电梯有限公司",
        "太湖锅炉有限公司",
        "卫华集团有限公司",
        "杭叉集团股份有限公司",
        "浙江省特种设备制造有限公司",
        "通力电梯有限公司",
        "日立电梯（中国）有限公司",
    ]))
    .to_owned();
    let model = equipment::Model {
        id,
        enterprise_id: e.id,
        category_code: format!("{category}000"),
        variety_code: variety.to_owned(),
        equipment_code,
        registration_code,
        use_certificate_no,
        internal_no: Some(format!("NB-{:04}", i + 1)),
        factory_no: Some(format!("F{year}{serial:07}")),
        model: Some(format!("TJ-{}", 100 + rng.below(900))),
        manufacturer: Some(manufacturer),
        manufacture_date: Some(manufacture),
        commissioning_date: Some(commissioning),
        install_location: location,
        district_code: district.to_owned(),
        use_status: use_status.as_str().to_owned(),
        registration_status: registration_status.as_str().to_owned(),
        last_inspection_date: Some(last),
        next_inspection_date: Some(next_date),
        last_outcome: Some(conclusion.outcome.as_str().to_owned()),
        params: params_for(variety, rng),
        registration_date: Some(registered),
        status_changed_on,
        deferred_until,
        created_at: now,
        updated_at: now,
    };
    // Several years of periodic inspections, oldest first, the last one giving today's state.
    let history = (years_in_service / u64::try_from(interval.max(1)).unwrap_or(1)).clamp(1, 4);
    let mut last_inspection_id = 0;
    for k in (0..history).rev() {
        let back = i32::try_from(k).unwrap_or(0) * interval;
        let date = last
            .replace_year(last.year() - back)
            .unwrap_or_else(|_| last - Duration::days(365 * i64::from(back)));
        if date < commissioning {
            continue;
        }
        let is_last = k == 0;
        let this = if is_last {
            conclusion.clone()
        } else {
            Conclusion::normalise(conclusion_text(variety, false))
                .map_err(|e| AppError::internal(e.to_string()))?
        };
        let next_of = if is_last {
            next_date
        } else {
            date.replace_year(date.year() + interval)
                .unwrap_or(date + Duration::days(365))
        };
        let inspection_id = next(&mut ids.inspection);
        last_inspection_id = inspection_id;
        batch.inspections.push(
            inspection::Model {
                id: inspection_id,
                equipment_id: id,
                enterprise_id: e.id,
                inspection_type: InspectionType::Periodic.as_str().to_owned(),
                inspection_date: date,
                conclusion_raw: this.raw.clone(),
                outcome: this.outcome.as_str().to_owned(),
                is_reinspection: this.is_reinspection,
                next_inspection_date: Some(next_of),
                report_no: Some(format!("HZ{}-{inspection_id:08}", date.year())),
                inspector: Some((*rng.pick(INSPECTORS)).to_owned()),
                created_at: at(date, 9),
            }
            .into_active_model()
            .reset_all(),
        );
    }
    batch
        .equipment
        .push(model.clone().into_active_model().reset_all());
    Ok(Unit {
        model,
        last_inspection_id,
        conclusion,
    })
}

/// What became of an application (all items of one application share it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Inspected within the year and reported: archived report, mostly paid.
    Reported,
    /// Inspected, report still in the institute's workflow.
    Inspected,
    Scheduled,
    Accepted,
    Pending,
    Rejected,
}

impl Stage {
    fn item_state(self) -> &'static str {
        match self {
            Stage::Reported => "report_issued",
            Stage::Inspected => "inspected",
            Stage::Scheduled => "scheduled",
            Stage::Accepted => "accepted",
            Stage::Pending => "pending",
            Stage::Rejected => "rejected",
        }
    }
}

/// Applications of one enterprise: about a quarter of the equipment inspected in the last year
/// came through an online application; about a third of what is due now has one open.
#[allow(clippy::too_many_arguments)]
fn applications_of(
    services: &Services,
    rng: &mut Rng,
    ids: &mut Ids,
    batch: &mut Batch,
    e: &enterprise::Model,
    units: &[Unit],
    applicant: (i64, String),
    today: Date,
    now: OffsetDateTime,
) -> AppResult<()> {
    let mut groups: HashMap<u8, Vec<(&Unit, Stage)>> = HashMap::new();
    for unit in units {
        let m = &unit.model;
        let in_use = m.use_status == UseStatus::InUse.as_str();
        let last = m.last_inspection_date.unwrap_or(today);
        let next_date = m.next_inspection_date.unwrap_or(today);
        let recent = (today - last).whole_days() < 330 && unit.last_inspection_id != 0;
        let due = next_date < today + Duration::days(30);
        let stage = if in_use && recent && rng.below(4) == 0 {
            Some(if (today - last).whole_days() < 20 {
                Stage::Inspected
            } else {
                Stage::Reported
            })
        } else if in_use && due && rng.below(3) == 0 {
            Some(match rng.below(10) {
                0..4 => Stage::Pending,
                4..6 => Stage::Accepted,
                6..9 => Stage::Scheduled,
                _ => Stage::Rejected,
            })
        } else {
            None
        };
        if let Some(stage) = stage {
            groups.entry(stage as u8).or_default().push((unit, stage));
        }
    }
    let mut keys: Vec<u8> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let Some(members) = groups.get(&key) else {
            continue;
        };
        // Up to eight pieces per application, as a safety manager files them.
        for chunk in members.chunks(8) {
            let Some((first, stage)) = chunk.first() else {
                continue;
            };
            let stage = *stage;
            let anchor = match stage {
                Stage::Reported | Stage::Inspected => {
                    first.model.last_inspection_date.unwrap_or(today) - Duration::days(25)
                }
                Stage::Pending => today - days(rng.below(10)),
                _ => today - days(10 + rng.below(20)),
            };
            let application_id = next(&mut ids.application);
            let submitted = at(anchor, 2 + u8::try_from(rng.below(8)).unwrap_or(0));
            batch.applications.push(
                inspection_application::Model {
                    id: application_id,
                    serial_no: numbering::application_serial(
                        anchor,
                        &entropy_of::<6>(application_id as u64),
                    ),
                    enterprise_id: e.id,
                    contact_name: applicant.1.clone(),
                    contact_phone: e
                        .safety_manager_phone
                        .clone()
                        .unwrap_or_else(|| "13800000000".to_owned()),
                    contact_address: e.address.clone(),
                    preferred_date: Some(anchor + Duration::days(7)),
                    note: None,
                    applicant_user_id: applicant.0,
                    applicant_name: applicant.1.clone(),
                    submitted_at: submitted,
                    idempotency_key: None,
                }
                .into_active_model()
                .reset_all(),
            );
            let mut billed: Vec<(i64, i64, String)> = Vec::new();
            let mut all_paid = true;
            for (unit, _) in chunk {
                let m = &unit.model;
                let item_id = next(&mut ids.item);
                let (fee_request, estimate) = services
                    .estimate_item_fee(m, InspectionType::Periodic, None)
                    .map_err(|e| AppError::internal(e.to_string()))?;
                let estimate_fen = estimate.map(|m| m.to_fen());
                let accepted = !matches!(stage, Stage::Pending | Stage::Rejected);
                let decided = stage != Stage::Pending;
                let fee_fen = estimate_fen.unwrap_or(30_000);
                let report_id = matches!(stage, Stage::Reported | Stage::Inspected)
                    .then(|| next(&mut ids.report));
                let business_no = accepted.then(|| numbering::business_no(anchor, item_id));
                batch.items.push(
                    application_item::Model {
                        id: item_id,
                        application_id,
                        enterprise_id: e.id,
                        equipment_id: m.id,
                        inspection_type: InspectionType::Periodic.as_str().to_owned(),
                        state: stage.item_state().to_owned(),
                        fee_request,
                        estimated_fee_fen: estimate_fen,
                        approved_fee_fen: accepted.then_some(fee_fen),
                        business_no: business_no.clone(),
                        opinion: (stage == Stage::Rejected)
                            .then(|| "设备资料不全，请补充后重新申报".to_owned()),
                        decided_by_name: decided.then(|| "检验院 受理员".to_owned()),
                        decided_at: decided.then(|| submitted + Duration::days(1)),
                        scheduled_date: matches!(
                            stage,
                            Stage::Scheduled | Stage::Inspected | Stage::Reported
                        )
                        .then(|| match stage {
                            Stage::Scheduled => today + days(3 + rng.below(20)),
                            _ => m.last_inspection_date.unwrap_or(today),
                        }),
                        report_id,
                        updated_at: now,
                    }
                    .into_active_model()
                    .reset_all(),
                );
                if let (Some(report_id), Some(business_no)) = (report_id, business_no) {
                    let paid = stage == Stage::Reported && rng.below(10) != 0;
                    all_paid &= paid;
                    report_rows(
                        rng,
                        batch,
                        ids,
                        unit,
                        report_id,
                        item_id,
                        business_no,
                        stage,
                        fee_fen,
                        paid,
                    )?;
                }
                if accepted {
                    billed.push((item_id, fee_fen, m.variety_code.clone()));
                }
            }
            if !billed.is_empty() {
                let notice_id = next(&mut ids.payment_notice);
                let total: i64 = billed.iter().map(|(_, fen, _)| fen).sum();
                let paid = stage == Stage::Reported && all_paid;
                let no = PaymentNoticeNo::new(anchor.year(), "330500", notice_id as u64)
                    .map_err(|e| AppError::internal(e.to_string()))?;
                batch.payment_notices.push(
                    payment_notice::Model {
                        id: notice_id,
                        notice_no: no.as_str().to_owned(),
                        enterprise_id: e.id,
                        payer_name: e.name.clone(),
                        total_fen: total,
                        state: if paid { "paid" } else { "unpaid" }.to_owned(),
                        due_date: anchor + Duration::days(30),
                        issued_at: submitted + Duration::days(1),
                        issued_by_name: "检验院 收费员".to_owned(),
                        paid_at: paid.then(|| submitted + Duration::days(5)),
                        paid_payment_id: None,
                        cancel_reason: None,
                        updated_at: now,
                    }
                    .into_active_model()
                    .reset_all(),
                );
                for (item_id, fen, variety) in billed {
                    batch.payment_items.push(
                        payment_notice_item::Model {
                            id: next(&mut ids.payment_item),
                            notice_id,
                            application_item_id: item_id,
                            description: format!(
                                "{} 定期检验费",
                                crate::services::equipment::category_name(
                                    &variety
                                        .get(..1)
                                        .map(|c| format!("{c}000"))
                                        .unwrap_or_default()
                                )
                            ),
                            amount_fen: fen,
                        }
                        .into_active_model()
                        .reset_all(),
                    );
                }
            }
        }
    }
    Ok(())
}

/// The report of an inspected item and, when it failed, its 检验意见通知书.
#[allow(clippy::too_many_arguments)]
fn report_rows(
    rng: &mut Rng,
    batch: &mut Batch,
    ids: &mut Ids,
    unit: &Unit,
    report_id: i64,
    item_id: i64,
    business_no: String,
    stage: Stage,
    fee_fen: i64,
    paid: bool,
) -> AppResult<()> {
    let m = &unit.model;
    let date = m
        .last_inspection_date
        .unwrap_or(OffsetDateTime::UNIX_EPOCH.date());
    let category = EquipmentCategory::from_code(&m.category_code)
        .ok_or_else(|| AppError::internal("unknown category"))?;
    let failed = unit.conclusion.outcome.as_str() == "fail";
    let problems = if failed {
        json!(["安全保护装置动作不可靠", "维护保养记录不完整"])
    } else {
        json!([])
    };
    let state = match stage {
        Stage::Reported if rng.below(5) == 0 => "printed",
        Stage::Reported => "archived",
        _ => *rng.pick(&["drafting", "reviewing", "approving"]),
    };
    let issued = stage == Stage::Reported;
    let inspector = (*rng.pick(INSPECTORS)).to_owned();
    batch.reports.push(
        report::Model {
            id: report_id,
            report_no: numbering::report_no(category, date.year(), report_id),
            business_no,
            enterprise_id: m.enterprise_id,
            equipment_id: m.id,
            inspection_id: Some(unit.last_inspection_id),
            application_item_id: Some(item_id),
            category_code: m.category_code.clone(),
            inspection_type: InspectionType::Periodic.as_str().to_owned(),
            inspection_date: date,
            conclusion_raw: unit.conclusion.raw.clone(),
            outcome: unit.conclusion.outcome.as_str().to_owned(),
            problems: problems.clone(),
            next_inspection_date: m.next_inspection_date,
            inspector: inspector.clone(),
            reviewer_name: issued.then(|| "检验院 审核员".to_owned()),
            approver_name: issued.then(|| "检验院 批准人".to_owned()),
            state: state.to_owned(),
            fee_fen,
            fee_paid_at: paid.then(|| at(date + Duration::days(5), 3)),
            verification_code: numbering::verification_code(&entropy_of::<8>(
                rng.next() ^ report_id as u64,
            )),
            pdf_key: None,
            pdf_sha256: None,
            issued_on: issued.then(|| date + Duration::days(7)),
            remark: None,
            created_at: at(date, 10),
            updated_at: at(date + Duration::days(7), 10),
        }
        .into_active_model()
        .reset_all(),
    );
    if failed && issued {
        let notice_id = next(&mut ids.notice);
        let state = *rng.pick(&["open", "open", "submitted", "confirmed"]);
        let fed_back = state != "open";
        batch.notices.push(
            opinion_notice::Model {
                id: notice_id,
                notice_no: numbering::notice_no(date.year(), notice_id),
                report_id,
                enterprise_id: m.enterprise_id,
                equipment_id: m.id,
                problems: json!([
                    {"description": "安全保护装置动作不可靠", "requirement": "检修后申请复检"},
                    {"description": "维护保养记录不完整", "requirement": "补齐记录并报送"}
                ]),
                deadline: date + Duration::days(37),
                state: state.to_owned(),
                inspector,
                issued_on: date + Duration::days(7),
                pdf_key: None,
                pdf_sha256: None,
                feedback_statement: fed_back.then(|| "已按要求整改完毕".to_owned()),
                feedback_at: fed_back.then(|| at(date + Duration::days(20), 2)),
                feedback_by_name: fed_back.then(|| "安全管理员".to_owned()),
                review_comment: (state == "confirmed").then(|| "整改确认".to_owned()),
                reviewed_by_name: (state == "confirmed").then(|| "检验院 检验员".to_owned()),
                reviewed_at: (state == "confirmed").then(|| at(date + Duration::days(25), 2)),
                updated_at: at(date + Duration::days(7), 10),
            }
            .into_active_model()
            .reset_all(),
        );
    }
    Ok(())
}

/// Renders and stores the PDFs of up to `limit` of the benchmark enterprise's issued, paid
/// reports (report download needs them); returns how many and the mean render time in ms.
async fn render_bench_pdfs(services: &Services, limit: u64) -> AppResult<(usize, f64)> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let rows = report::Entity::find()
        .filter(report::Column::EnterpriseId.eq(1))
        .filter(report::Column::State.is_in(["printed", "archived"]))
        .filter(report::Column::FeePaidAt.is_not_null())
        .order_by_asc(report::Column::Id)
        .limit(limit)
        .all(&services.db)
        .await?;
    let mut render = std::time::Duration::ZERO;
    let n = rows.len();
    for row in rows {
        let started = Instant::now();
        let pdf = services.render_report_pdf(&services.db, &row).await?;
        render += started.elapsed();
        let (key, sha) = services.store_document("report", row.id, pdf).await?;
        let mut active = row.into_active_model();
        active.pdf_key = sea_orm::Set(Some(key));
        active.pdf_sha256 = sea_orm::Set(Some(sha));
        active.update(&services.db).await?;
    }
    let mean = if n == 0 {
        0.0
    } else {
        render.as_secs_f64() * 1000.0 / n as f64
    };
    Ok((n, mean))
}

/// Runs a raw statement and returns the first column of the first row as an integer (counts).
pub async fn scalar_i64<C: ConnectionTrait>(conn: &C, sql: &str) -> AppResult<i64> {
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?
        .ok_or_else(|| AppError::internal("no row"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}
