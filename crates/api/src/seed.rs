//! Demo data: a realistic Huzhou city (DESIGN.md "Demo data"). Deterministic: the same seed gives
//! the same enterprises, codes and dates relative to the day it runs, so every list of the manual
//! (overdue, expiring, unqualified, not in use) has rows.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::{Value, json};
use tejian_domain::catalogue::{self, Level};
use tejian_domain::credit_code;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::Conclusion;
use time::{Date, Duration, OffsetDateTime};

mod conversations;
mod lifecycle;
pub mod scale;

pub use lifecycle::{LifecycleReport, lifecycle};

use crate::auth::hash_password;
use crate::error::{AppError, AppResult};
use crate::files::FileStore;
use crate::store::entity::{
    app_user, enterprise, equipment, inspection, status_change, status_change_file, stored_file,
};

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "Tejian-demo-2026";

/// The demo accounts: user name, role, what they are.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str)] = &[
    (
        "demo-ent-1",
        "enterprise",
        "湖州太湖物业管理有限公司 的企业用户",
    ),
    (
        "demo-ent-2",
        "enterprise",
        "湖州吴兴金鼎纺织有限公司 的企业用户",
    ),
    (
        "demo-institute",
        "institute",
        "湖州市特种设备检测研究院 工作人员",
    ),
    (
        "demo-bureau",
        "bureau",
        "湖州市市场监督管理局吴兴分局 工作人员",
    ),
];

/// How much to seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedSize {
    /// The demo city: 22 enterprises, about 1,000 pieces of equipment.
    Demo,
    /// A few enterprises and a few dozen pieces of equipment, for tests.
    Small,
}

/// (name, district, address, unit kind prefix of the credit code)
const ENTERPRISES: &[(&str, &str, &str, &str)] = &[
    (
        "湖州太湖物业管理有限公司",
        "330502",
        "湖州市吴兴区人民路 88 号",
        "91",
    ),
    (
        "湖州吴兴金鼎纺织有限公司",
        "330502",
        "湖州市吴兴区织里镇振兴路 16 号",
        "91",
    ),
    (
        "湖州市中心医院后勤服务中心",
        "330502",
        "湖州市吴兴区红旗路 198 号",
        "12",
    ),
    (
        "湖州市燃气有限公司",
        "330502",
        "湖州市吴兴区凤凰路 1 号",
        "91",
    ),
    (
        "湖州港航物流有限公司",
        "330502",
        "湖州市吴兴区八里店港口路 5 号",
        "91",
    ),
    (
        "湖州南浔华盛木业有限公司",
        "330503",
        "湖州市南浔区旧馆镇工业园 12 号",
        "91",
    ),
    (
        "湖州南浔恒达电机有限公司",
        "330503",
        "湖州市南浔区练市镇迎宾路 33 号",
        "91",
    ),
    (
        "湖州南浔古镇旅游发展有限公司",
        "330503",
        "湖州市南浔区南浔镇人瑞路 2 号",
        "91",
    ),
    (
        "德清莫干山旅游开发有限公司",
        "330521",
        "湖州市德清县莫干山镇荫山街 9 号",
        "91",
    ),
    (
        "浙江德清新材料科技有限公司",
        "330521",
        "湖州市德清县武康街道长虹东街 66 号",
        "91",
    ),
    (
        "德清县人民医院",
        "330521",
        "湖州市德清县武康街道英溪南路 120 号",
        "12",
    ),
    (
        "长兴华能热电有限公司",
        "330522",
        "湖州市长兴县雉城街道发电厂路 1 号",
        "91",
    ),
    (
        "长兴南方水泥有限公司",
        "330522",
        "湖州市长兴县煤山镇工业区 8 号",
        "91",
    ),
    (
        "长兴太湖图影旅游开发有限公司",
        "330522",
        "湖州市长兴县图影旅游度假区 3 号",
        "91",
    ),
    (
        "安吉竹海游乐园有限公司",
        "330523",
        "湖州市安吉县天荒坪镇竹海路 18 号",
        "91",
    ),
    (
        "安吉天荒坪索道有限公司",
        "330523",
        "湖州市安吉县天荒坪镇大溪村",
        "91",
    ),
    (
        "浙江安吉椅业集团有限公司",
        "330523",
        "湖州市安吉县递铺街道昌硕东路 500 号",
        "91",
    ),
    (
        "湖州南太湖新区城市建设发展有限公司",
        "330590",
        "湖州市南太湖新区滨湖大道 1 号",
        "91",
    ),
    (
        "湖州太湖度假区欢乐世界有限公司",
        "330590",
        "湖州市南太湖新区太湖路 99 号",
        "91",
    ),
    (
        "湖州经开区标准厂房运营有限公司",
        "330590",
        "湖州市南太湖新区康山街道杨家埠路 7 号",
        "91",
    ),
    (
        "湖州市公共交通集团有限公司",
        "330502",
        "湖州市吴兴区二环东路 500 号",
        "91",
    ),
    (
        "湖州吴兴区织里童装产业园管理有限公司",
        "330502",
        "湖州市吴兴区织里镇大河路 200 号",
        "91",
    ),
];

/// Deterministic pseudo-random numbers (SplitMix64): demo data must not change between runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = u64::try_from(items.len()).unwrap_or(1);
        &items[usize::try_from(self.below(len)).unwrap_or(0)]
    }
}

/// A valid 统一社会信用代码 for enterprise `n` in `district`.
fn credit_code_for_demo(
    prefix: &str,
    district: &str,
    n: usize,
    rng: &mut Rng,
) -> AppResult<String> {
    let body: String = (0..8)
        .map(|i| char::from(b'0' + u8::try_from((rng.below(10) + i + n as u64) % 10).unwrap_or(0)))
        .collect();
    credit_code_for(prefix, district, &body)
}

/// A valid 统一社会信用代码 whose organisation code (positions 9–17, GB 11714) is the 8 digits
/// `body` plus their check character.
fn credit_code_for(prefix: &str, district: &str, body: &str) -> AppResult<String> {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    };
    let first17 = format!("{prefix}{district}{body}{check}");
    let last = credit_code::check_char(&first17).ok_or_else(|| {
        AppError::internal(format!("cannot compute check character of {first17}"))
    })?;
    Ok(format!("{first17}{last}"))
}

/// Equipment varieties by category code, for the categories the demo carries.
fn varieties(category: char) -> Vec<&'static str> {
    let leaves: Vec<&'static str> = catalogue::entries()
        .iter()
        .filter(|e| e.code.starts_with(category) && e.level != Level::Category)
        .filter(|e| e.level == Level::Variety || catalogue::children(e.code).next().is_none())
        .map(|e| e.code)
        .collect();
    leaves
}

/// The one-character 设备类别代号 of a 使用登记证编号.
fn certificate_char(variety: &str) -> &'static str {
    match variety.as_bytes().first().copied().unwrap_or(b'0') {
        b'1' => "锅",
        b'2' if variety.starts_with("23") => "瓶",
        b'2' => "容",
        b'3' => "梯",
        b'4' => "起",
        b'5' => "车",
        b'6' => "游",
        b'8' => "管",
        b'9' => "索",
        _ => "容",
    }
}

/// Typical main parameters per category (the typed model arrives with the equipment issue).
fn params_for(variety: &str, rng: &mut Rng) -> Value {
    match variety.as_bytes().first().copied().unwrap_or(b'0') {
        b'1' => {
            json!({ "rated_evaporation_t_h": *rng.pick(&[1, 2, 4, 6, 10, 20]), "rated_pressure_mpa": "1.25" })
        }
        b'2' => {
            json!({ "volume_m3": format!("{}.{}", 1 + rng.below(50), rng.below(10)), "design_pressure_mpa": "1.60", "safety_grade": 1 + rng.below(3) })
        }
        b'3' if variety.starts_with("33") => {
            json!({ "rise_m": format!("{}.{}", 3 + rng.below(8), rng.below(10)), "width_mm": *rng.pick(&[600, 800, 1000]) })
        }
        b'3' => {
            json!({ "floors": 2 + rng.below(30), "rated_speed_m_s": *rng.pick(&["1.0", "1.5", "1.75", "2.5"]), "rated_load_kg": *rng.pick(&[630, 800, 1000, 1350, 1600]), "machine_room": rng.below(3) != 0 })
        }
        b'4' => {
            json!({ "rated_capacity_t": *rng.pick(&[2, 5, 10, 16, 20, 32]), "span_m": 10 + rng.below(25) })
        }
        b'5' => {
            json!({ "rated_capacity_kg": *rng.pick(&[1500, 2500, 3000, 5000]), "power": if rng.below(2) == 0 { "electric" } else { "combustion" } })
        }
        b'6' => json!({ "class": *rng.pick(&["A", "B", "C"]) }),
        b'8' => {
            json!({ "length_m": 50 + rng.below(2000), "dn": *rng.pick(&[50, 80, 100, 150, 200]), "grade": *rng.pick(&["GC1", "GC2", "GC3"]) })
        }
        b'9' => json!({ "length_m": 500 + rng.below(2500) }),
        _ => json!({ "volume_m3": 5 + rng.below(40) }),
    }
}

/// The usual interval in years between periodic inspections (a placeholder for the full schedule
/// rules of the equipment issue; close enough for demo dates).
fn interval_years(variety: &str) -> i32 {
    match variety.as_bytes().first().copied().unwrap_or(b'0') {
        b'2' | b'8' | b'R' => 3,
        b'4' if matches!(
            variety.get(..2),
            Some("41" | "42" | "47" | "49" | "4A" | "4D")
        ) =>
        {
            2
        }
        _ => 1,
    }
}

fn conclusion_text(variety: &str, fail: bool) -> &'static str {
    match (variety.as_bytes().first().copied().unwrap_or(b'0'), fail) {
        (b'1' | b'2' | b'8' | b'R', false) => "符合要求",
        (b'1' | b'2' | b'8' | b'R', true) => "不符合要求",
        (_, false) => "合格",
        (_, true) => "不合格",
    }
}

/// Whether the database has no enterprises yet (demo data is only seeded into an empty database).
pub async fn is_empty<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(enterprise::Entity::find().count(conn).await? == 0)
}

/// Seeds enterprises, equipment, inspections and the demo accounts in one transaction.
pub async fn seed(
    conn: &sea_orm::DatabaseConnection,
    files: &FileStore,
    size: SeedSize,
) -> AppResult<SeedReport> {
    let txn = conn.begin().await?;
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let mut rng = Rng(2026);
    // The small set spans two districts, so district scoping can be tested.
    let chosen: Vec<_> = match size {
        SeedSize::Demo => ENTERPRISES.iter().collect(),
        SeedSize::Small => [0, 1, 5]
            .iter()
            .filter_map(|&i| ENTERPRISES.get(i))
            .collect(),
    };
    let mut enterprise_ids = Vec::new();
    for (n, (name, district, address, prefix)) in chosen.into_iter().enumerate() {
        let code = credit_code_for_demo(prefix, district, n, &mut rng)?;
        let row = enterprise::ActiveModel {
            name: Set((*name).to_owned()),
            credit_code: Set(code),
            unit_type: Set("use_unit".to_owned()),
            district_code: Set((*district).to_owned()),
            address: Set((*address).to_owned()),
            legal_representative: Set(Some(
                ["王建国", "李秀英", "张伟", "刘洋", "陈静"][n % 5].to_owned(),
            )),
            safety_manager: Set(Some(
                ["沈国强", "钱丽", "吴斌", "姚芳", "潘磊"][n % 5].to_owned(),
            )),
            safety_manager_phone: Set(Some(format!("1385720{:04}", 1000 + n))),
            contact_phone: Set(Some(format!("0572-22{:05}", 10000 + n * 37))),
            email: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        enterprise_ids.push((row.id, *district));
    }

    let categories = ['3', '1', '2', '4', '5', '6', '8', '9', 'R'];
    let mut equipment_rows = Vec::new();
    let mut serial = 0u64;
    for (n, (enterprise_id, district)) in enterprise_ids.iter().enumerate() {
        let count = match (size, n) {
            (SeedSize::Small, _) => 12,
            (SeedSize::Demo, 0) => 160,
            (SeedSize::Demo, 1) => 80,
            (SeedSize::Demo, _) => 40,
        };
        for i in 0..count {
            serial += 1;
            let category = categories[(i + n) % categories.len()];
            let options = varieties(category);
            let variety = *rng.pick(&options);
            let years_in_service = 1 + i64::try_from(rng.below(18)).unwrap_or(0);
            let commissioning = today
                - Duration::days(
                    365 * years_in_service + i64::try_from(rng.below(300)).unwrap_or(0),
                );
            let manufacture =
                commissioning - Duration::days(60 + i64::try_from(rng.below(300)).unwrap_or(0));
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
            // 品种特征代号: the variety's 2nd–3rd characters when they are digits (3110 → 11);
            // codes with letters (4A00, 6D10) have no standard digits, so 00.
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
            // Spread the states so every list of the manual has rows.
            let (use_status, registration_status, next, fail) = match (i + n) % 20 {
                0 | 7 => (
                    UseStatus::InUse,
                    RegistrationStatus::Registered,
                    today - Duration::days(1 + i64::try_from(rng.below(150)).unwrap_or(0)),
                    false,
                ),
                1 | 11 => (
                    UseStatus::InUse,
                    RegistrationStatus::Registered,
                    today + Duration::days(i64::try_from(rng.below(30)).unwrap_or(0)),
                    false,
                ),
                2 => (
                    UseStatus::InUse,
                    RegistrationStatus::Registered,
                    today + Duration::days(20 + i64::try_from(rng.below(200)).unwrap_or(0)),
                    true,
                ),
                3 => (
                    UseStatus::Stopped,
                    RegistrationStatus::Registered,
                    today - Duration::days(i64::try_from(rng.below(400)).unwrap_or(0)),
                    false,
                ),
                4 if i % 3 == 0 => (
                    UseStatus::Scrapped,
                    RegistrationStatus::Cancelled,
                    today - Duration::days(200),
                    false,
                ),
                5 if i % 4 == 0 => (
                    UseStatus::NotYetInUse,
                    RegistrationStatus::Pending,
                    today + Duration::days(300),
                    false,
                ),
                _ => (
                    UseStatus::InUse,
                    RegistrationStatus::Registered,
                    today + Duration::days(31 + i64::try_from(rng.below(600)).unwrap_or(0)),
                    false,
                ),
            };
            // Stopped and scrapped equipment changed status some weeks ago; one overdue piece in
            // twenty has an approved deferral (延期检验), which keeps it off the overdue list.
            let status_changed_on = (!use_status.is_active()
                && use_status != UseStatus::NotYetInUse)
                .then(|| today - Duration::days(10 + i64::try_from(rng.below(300)).unwrap_or(0)));
            let deferred_until =
                ((i + n) % 20 == 7 && i % 2 == 0).then(|| today + Duration::days(45));
            let last = next
                .replace_year(next.year() - interval_years(variety))
                .unwrap_or_else(|_| next - Duration::days(365));
            let last = if last > today {
                today - Duration::days(30)
            } else {
                last
            };
            let conclusion = Conclusion::normalise(conclusion_text(variety, fail))
                .map_err(|e| AppError::internal(e.to_string()))?;
            let location = format!(
                "{}{}",
                *rng.pick(&[
                    "1号楼",
                    "2号楼",
                    "车间A",
                    "车间B",
                    "锅炉房",
                    "仓库",
                    "园区东门",
                    "主楼"
                ]),
                *rng.pick(&["", " 东侧", " 西侧", " 地下一层"])
            );
            equipment_rows.push((
                equipment::ActiveModel {
                    enterprise_id: Set(*enterprise_id),
                    category_code: Set(format!("{category}000")),
                    variety_code: Set(variety.to_owned()),
                    equipment_code: Set(equipment_code),
                    registration_code: Set(registration_code),
                    use_certificate_no: Set(use_certificate_no),
                    internal_no: Set(Some(format!("NB-{:04}", i + 1))),
                    factory_no: Set(Some(format!("F{year}{:05}", serial))),
                    model: Set(Some(format!("TJ-{}", 100 + rng.below(900)))),
                    manufacturer: Set(Some(
                        (*rng.pick(&[
                            "浙江巨人控股有限公司",
                            "杭州西奥电梯有限公司",
                            "太湖锅炉有限公司",
                            "卫华集团有限公司",
                            "杭叉集团股份有限公司",
                            "浙江省特种设备制造有限公司",
                        ]))
                        .to_owned(),
                    )),
                    manufacture_date: Set(Some(manufacture)),
                    commissioning_date: Set(Some(commissioning)),
                    install_location: Set(location),
                    district_code: Set((*district).to_owned()),
                    use_status: Set(use_status.as_str().to_owned()),
                    registration_status: Set(registration_status.as_str().to_owned()),
                    last_inspection_date: Set(Some(last)),
                    next_inspection_date: Set(Some(next)),
                    last_outcome: Set(Some(conclusion.outcome.as_str().to_owned())),
                    params: Set(params_for(variety, &mut rng)),
                    registration_date: Set(Some(registered)),
                    status_changed_on: Set(status_changed_on),
                    deferred_until: Set(deferred_until),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                },
                (*enterprise_id, last, next, conclusion),
            ));
        }
    }

    let equipment_total = equipment_rows.len();
    let mut inspections = Vec::new();
    for chunk in equipment_rows.chunks(200) {
        let models: Vec<_> = chunk.iter().map(|(m, _)| m.clone()).collect();
        let ids = insert_returning_ids(&txn, models).await?;
        for (id, (_, (enterprise_id, last, next, conclusion))) in ids.into_iter().zip(chunk) {
            inspections.push(inspection_row(
                id,
                *enterprise_id,
                *last,
                *next,
                conclusion,
                now,
            ));
        }
    }
    let inspection_total = inspections.len();
    for chunk in inspections.chunks(300) {
        inspection::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }

    let hash = hash_password(DEMO_PASSWORD)?;
    let ent = |k: usize| enterprise_ids.get(k).map(|(id, _)| *id);
    let users = [
        (
            "demo-ent-1",
            "沈国强",
            "enterprise",
            ent(0),
            None,
            Some("13857201000"),
        ),
        (
            "demo-ent-2",
            "钱丽",
            "enterprise",
            ent(1),
            None,
            Some("13857201001"),
        ),
        (
            "demo-institute",
            "检验院 张工",
            "institute",
            None,
            None,
            None,
        ),
        (
            "demo-bureau",
            "吴兴分局 李科长",
            "bureau",
            None,
            Some("330502"),
            None,
        ),
        // Colleagues of demo-ent-1 with fewer rights (企业用户管理).
        (
            "demo-operator",
            "沈小波",
            "enterprise",
            ent(0),
            None,
            Some("13857201002"),
        ),
        ("demo-viewer", "沈明", "enterprise", ent(0), None, None),
    ];
    let mut user_ids = Vec::new();
    for (username, name, role, enterprise_id, district, phone) in users {
        // The first user of an enterprise is its admin.
        let enterprise_role = match (role, username) {
            ("enterprise", "demo-operator") => Some("operator"),
            ("enterprise", "demo-viewer") => Some("viewer"),
            ("enterprise", _) => Some("admin"),
            _ => None,
        };
        let user = app_user::ActiveModel {
            username: Set(username.to_owned()),
            password_hash: Set(hash.clone()),
            display_name: Set(name.to_owned()),
            role: Set(role.to_owned()),
            enterprise_id: Set(enterprise_id),
            enterprise_role: Set(enterprise_role.map(str::to_owned)),
            district_code: Set(district.map(str::to_owned)),
            phone: Set(phone.map(str::to_owned)),
            email: Set(None),
            must_change_password: Set(false),
            disabled: Set(false),
            password_changed_at: Set(None),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        user_ids.push((user.id, user.display_name));
    }
    let status_changes = match (enterprise_ids.first(), user_ids.first(), user_ids.get(3)) {
        (Some((enterprise_id, _)), Some(applicant), Some(reviewer)) => {
            demo_status_changes(&txn, files, *enterprise_id, applicant, reviewer, now).await?
        }
        _ => 0,
    };
    if let (Some(ent1), Some(ent2), Some(bureau)) =
        (user_ids.first(), user_ids.get(1), user_ids.get(3))
    {
        let ids: Vec<i64> = enterprise_ids.iter().map(|(id, _)| *id).collect();
        conversations::demo_conversations(&txn, files, &ids, [ent1, ent2], bureau, now).await?;
    }
    txn.commit().await?;
    Ok(SeedReport {
        status_changes,
        enterprises: enterprise_ids.len(),
        equipment: equipment_total,
        inspections: inspection_total,
    })
}

/// Inserts a batch of equipment and returns the new ids in order.
async fn insert_returning_ids<C: ConnectionTrait>(
    conn: &C,
    models: Vec<equipment::ActiveModel>,
) -> AppResult<Vec<i64>> {
    let n = models.len();
    let mut ids = Vec::with_capacity(n);
    let inserted = equipment::Entity::insert_many(models)
        .exec_with_returning(conn)
        .await?;
    for row in inserted {
        ids.push(row.id);
    }
    if ids.len() != n {
        return Err(AppError::internal(
            "batch insert returned a different number of rows",
        ));
    }
    Ok(ids)
}

fn inspection_row(
    equipment_id: i64,
    enterprise_id: i64,
    date: Date,
    next: Date,
    conclusion: &Conclusion,
    now: OffsetDateTime,
) -> inspection::ActiveModel {
    inspection::ActiveModel {
        equipment_id: Set(equipment_id),
        enterprise_id: Set(enterprise_id),
        inspection_type: Set("periodic".to_owned()),
        inspection_date: Set(date),
        conclusion_raw: Set(conclusion.raw.clone()),
        outcome: Set(conclusion.outcome.as_str().to_owned()),
        is_reinspection: Set(conclusion.is_reinspection),
        next_inspection_date: Set(Some(next)),
        report_no: Set(Some(format!("HZTJ-{}-{equipment_id:06}", date.year()))),
        inspector: Set(Some(
            ["周明", "徐亮", "孙浩", "朱婷"][usize::try_from(equipment_id % 4).unwrap_or(0)]
                .to_owned(),
        )),
        created_at: Set(now),
        ..Default::default()
    }
}

/// What a seed run wrote.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub status_changes: usize,
    pub enterprises: usize,
    pub equipment: usize,
    pub inspections: usize,
}

/// A one-page PDF standing in for a scanned 《特种设备停用报废注销登记表》.
const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// Status changes for the first enterprise in 吴兴区: one pending 停用 (the bureau's queue), one
/// approved 停用 and one rejected 报废, each with an attachment.
async fn demo_status_changes<C: ConnectionTrait>(
    txn: &C,
    files: &FileStore,
    enterprise_id: i64,
    applicant: &(i64, String),
    reviewer: &(i64, String),
    now: OffsetDateTime,
) -> AppResult<usize> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let candidates = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq(UseStatus::InUse.as_str()))
        .filter(equipment::Column::DistrictCode.eq("330502"))
        .order_by_asc(equipment::Column::Id)
        .limit(3)
        .all(txn)
        .await?;
    let today = now.date();
    // (kind, state, to use status, to registration status, reason, opinion)
    let plans = [
        (
            "stop",
            "submitted",
            "stopped",
            "registered",
            "车间停产改造，设备停用一年以上",
            None,
        ),
        (
            "stop",
            "approved",
            "stopped",
            "registered",
            "仓库搬迁，设备暂停使用",
            Some("资料齐全，同意停用。"),
        ),
        (
            "scrap",
            "rejected",
            "scrapped",
            "cancelled",
            "设备老化，申请报废",
            Some("请补充报废设备的处置证明后重新提交。"),
        ),
    ];
    let mut made = 0;
    for (eq, (kind, state, to_use, to_reg, reason, opinion)) in candidates.into_iter().zip(plans) {
        let file_id = format!("f_demo_{}", eq.id);
        files
            .put(&file_id, DEMO_PDF.to_vec())
            .await
            .map_err(AppError::internal)?;
        stored_file::ActiveModel {
            id: Set(file_id.clone()),
            enterprise_id: Set(Some(enterprise_id)),
            uploaded_by: Set(applicant.0),
            file_name: Set("特种设备停用报废注销登记表.pdf".to_owned()),
            content_type: Set("application/pdf".to_owned()),
            size: Set(i64::try_from(DEMO_PDF.len()).unwrap_or(0)),
            storage_key: Set(file_id.clone()),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
        let decided = state != "submitted";
        let change = status_change::ActiveModel {
            equipment_id: Set(eq.id),
            enterprise_id: Set(enterprise_id),
            district_code: Set(eq.district_code.clone()),
            kind: Set(kind.to_owned()),
            state: Set(state.to_owned()),
            from_use_status: Set(eq.use_status.clone()),
            to_use_status: Set(to_use.to_owned()),
            from_registration_status: Set(eq.registration_status.clone()),
            to_registration_status: Set(to_reg.to_owned()),
            reason: Set(reason.to_owned()),
            effective_date: Set(today - Duration::days(5)),
            new_location: Set(None),
            applicant_user_id: Set(applicant.0),
            applicant_name: Set(applicant.1.clone()),
            submitted_at: Set(now - Duration::days(7)),
            reviewer_user_id: Set(decided.then_some(reviewer.0)),
            reviewer_name: Set(decided.then(|| reviewer.1.clone())),
            reviewed_at: Set(decided.then(|| now - Duration::days(2))),
            opinion: Set(opinion.map(str::to_owned)),
            idempotency_key: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        status_change_file::ActiveModel {
            status_change_id: Set(change.id),
            file_id: Set(file_id),
        }
        .insert(txn)
        .await?;
        if state == "approved" {
            let mut active = eq.into_active_model();
            active.use_status = Set(to_use.to_owned());
            active.status_changed_on = Set(Some(today - Duration::days(5)));
            active.update(txn).await?;
        }
        made += 1;
    }
    Ok(made)
}
