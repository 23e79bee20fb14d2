//! Tenant isolation and paging on the equipment register.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tejian_api::store::entity::equipment;
use tejian_contract::list::PageQuery;

use crate::both;
use crate::helpers::TestApp;

async fn another_enterprises_equipment_is_not_found(app: TestApp) {
    let ent1 = app.login("demo-ent-1").await;
    let ent2 = app.login("demo-ent-2").await;
    let mine = ent1.equipment(PageQuery::default()).await.unwrap();
    assert_eq!(mine.total, 12);
    let my_enterprise = mine.items[0].enterprise_id;
    assert!(mine.items.iter().all(|e| e.enterprise_id == my_enterprise));

    let theirs = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.ne(my_enterprise))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let e = ent1.equipment_by_id(theirs.id).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(404), Some("not_found")));
    // Exactly like a missing one.
    let missing = ent1.equipment_by_id(999_999).await.unwrap_err();
    assert_eq!(format!("{e:?}"), format!("{missing:?}"));
    // Its owner and institute staff can see it.
    if theirs.enterprise_id != my_enterprise {
        let staff = app.login("demo-institute").await;
        assert_eq!(
            staff.equipment_by_id(theirs.id).await.unwrap().summary.id,
            theirs.id
        );
        let all = staff.equipment(PageQuery::default()).await.unwrap();
        assert_eq!(all.total, 36);
    }
    let ent2_list = ent2
        .equipment(PageQuery {
            page: None,
            per_page: Some(200),
        })
        .await
        .unwrap();
    assert!(
        ent2_list
            .items
            .iter()
            .all(|e| e.enterprise_id != my_enterprise)
    );
}
both!(another_enterprises_equipment_is_not_found);

async fn bureau_sees_its_district_only(app: TestApp) {
    let bureau = app.login("demo-bureau").await;
    let page = bureau
        .equipment(PageQuery {
            page: None,
            per_page: Some(200),
        })
        .await
        .unwrap();
    assert_eq!(
        page.total, 24,
        "two of the three small-seed enterprises are in 吴兴区"
    );
    assert!(page.items.iter().all(|e| e.district_code == "330502"));
}
both!(bureau_sees_its_district_only);

async fn paging_bounds(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let default = ent.equipment(PageQuery::default()).await.unwrap();
    assert_eq!(
        (default.page, default.per_page, default.items.len()),
        (1, 20, 12)
    );
    let second = ent
        .equipment(PageQuery {
            page: Some(2),
            per_page: Some(5),
        })
        .await
        .unwrap();
    assert_eq!((second.items.len(), second.total), (5, 12));
    let third = ent
        .equipment(PageQuery {
            page: Some(3),
            per_page: Some(5),
        })
        .await
        .unwrap();
    assert_eq!(third.items.len(), 2);
    ent.equipment(PageQuery {
        page: None,
        per_page: Some(200),
    })
    .await
    .unwrap();
    for (page, per_page, pointer) in [
        (Some(0), None, "/page"),
        (None, Some(0), "/per_page"),
        (None, Some(201), "/per_page"),
    ] {
        let tejian_client::Error::Api(p) = ent
            .equipment(PageQuery { page, per_page })
            .await
            .unwrap_err()
        else {
            panic!()
        };
        assert_eq!((p.status, p.code.as_str()), (422, "validation_failed"));
        assert_eq!(p.errors[0].pointer, pointer);
    }
}
both!(paging_bounds);

mod views {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    use tejian_api::store::entity::{equipment, inspection};
    use tejian_contract::equipment::{EquipmentQuery, EquipmentView, ExportFormat};
    use tejian_domain::equipment::UseStatus;
    use tejian_domain::inspection::Outcome;
    use time::{Date, Duration, OffsetDateTime};

    use crate::both;
    use crate::helpers::TestApp;

    fn today() -> Date {
        (OffsetDateTime::now_utc() + Duration::hours(8)).date()
    }

    /// Replaces demo-ent-1's equipment with rows whose state is known, returns them by label.
    async fn known_register(app: &TestApp) -> (i64, Vec<(&'static str, i64)>) {
        let ent = app.login("demo-ent-1").await;
        let enterprise_id = ent.me().await.unwrap().enterprise.unwrap().id;
        let ids: Vec<i64> = equipment::Entity::find()
            .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        inspection::Entity::delete_many()
            .filter(inspection::Column::EquipmentId.is_in(ids.clone()))
            .exec(&app.db)
            .await
            .unwrap();
        equipment::Entity::delete_many()
            .filter(equipment::Column::Id.is_in(ids))
            .exec(&app.db)
            .await
            .unwrap();
        let t = today();
        let d = |days: i64| Some(t + Duration::days(days));
        // label, variety, use status, registration, next date, deferred until, last outcome, district
        let rows = [
            (
                "overdue",
                "3110",
                "in_use",
                "registered",
                d(-10),
                None,
                "pass",
                "330502",
            ),
            (
                "deferred",
                "3110",
                "in_use",
                "registered",
                d(-5),
                d(20),
                "pass",
                "330502",
            ),
            (
                "due_in_10",
                "1100",
                "in_use",
                "registered",
                d(10),
                None,
                "pass",
                "330503",
            ),
            (
                "due_in_50",
                "2150",
                "in_use",
                "registered",
                d(50),
                None,
                "pass",
                "330502",
            ),
            (
                "failed",
                "4110",
                "in_use",
                "registered",
                d(200),
                None,
                "fail",
                "330502",
            ),
            (
                "stopped",
                "4310",
                "stopped",
                "registered",
                d(-100),
                None,
                "pass",
                "330502",
            ),
            (
                "scrapped",
                "5110",
                "scrapped",
                "cancelled",
                d(-300),
                None,
                "fail",
                "330502",
            ),
        ];
        let now = OffsetDateTime::now_utc();
        let mut made = Vec::new();
        for (i, (label, variety, use_status, reg, next, deferred, outcome, district)) in
            rows.into_iter().enumerate()
        {
            let row = equipment::ActiveModel {
                enterprise_id: Set(enterprise_id),
                category_code: Set(format!("{}000", &variety[..1])),
                variety_code: Set(variety.to_owned()),
                equipment_code: Set(Some(format!("{variety}3310020200{:03}", i))),
                registration_code: Set(Some(format!("{variety}330502202001{:04}", i + 1))),
                use_certificate_no: Set(Some(format!("梯11浙E0000{i}(20)"))),
                internal_no: Set(Some(format!("K-{label}"))),
                factory_no: Set(None),
                model: Set(Some(if i == 0 { "WX-100%" } else { "OTHER" }.to_owned())),
                manufacturer: Set(Some(
                    if i % 2 == 0 {
                        "杭州西奥电梯有限公司"
                    } else {
                        "太湖锅炉有限公司"
                    }
                    .to_owned(),
                )),
                manufacture_date: Set(Some(t - Duration::days(1000 + 100 * i as i64))),
                commissioning_date: Set(Some(t - Duration::days(900))),
                install_location: Set(format!("{label} 车间")),
                district_code: Set(district.to_owned()),
                use_status: Set(use_status.to_owned()),
                registration_status: Set(reg.to_owned()),
                last_inspection_date: Set(Some(t - Duration::days(30))),
                next_inspection_date: Set(next),
                last_outcome: Set(Some(outcome.to_owned())),
                params: Set(serde_json::json!({})),
                registration_date: Set(Some(t - Duration::days(800 - i as i64))),
                status_changed_on: Set((use_status != "in_use").then(|| t - Duration::days(3))),
                deferred_until: Set(deferred),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
            made.push((label, row.id));
        }
        (enterprise_id, made)
    }

    fn labels(made: &[(&'static str, i64)], ids: &[i64]) -> Vec<&'static str> {
        let mut out: Vec<&str> = made
            .iter()
            .filter(|(_, id)| ids.contains(id))
            .map(|(l, _)| *l)
            .collect();
        out.sort_unstable();
        out
    }

    async fn the_four_lists(app: TestApp) {
        let (_, made) = known_register(&app).await;
        let ent = app.login("demo-ent-1").await;
        let view = |view, within_days| EquipmentQuery {
            view: Some(view),
            within_days,
            ..Default::default()
        };
        let ids = |page: tejian_contract::list::Page<
            tejian_contract::equipment::EquipmentSummary,
        >| { page.items.into_iter().map(|e| e.id).collect::<Vec<_>>() };
        let overdue = ent
            .equipment_search(&view(EquipmentView::Overdue, None))
            .await
            .unwrap();
        assert_eq!(overdue.items[0].overdue_days, Some(10));
        assert_eq!(
            labels(&made, &ids(overdue)),
            ["overdue"],
            "deferred and stopped are not overdue"
        );
        let expiring = ent
            .equipment_search(&view(EquipmentView::Expiring, None))
            .await
            .unwrap();
        assert_eq!(labels(&made, &ids(expiring)), ["due_in_10"]);
        let expiring60 = ent
            .equipment_search(&view(EquipmentView::Expiring, Some(60)))
            .await
            .unwrap();
        assert_eq!(labels(&made, &ids(expiring60)), ["due_in_10", "due_in_50"]);
        let unqualified = ent
            .equipment_search(&view(EquipmentView::Unqualified, None))
            .await
            .unwrap();
        assert_eq!(
            labels(&made, &ids(unqualified)),
            ["failed"],
            "scrapped equipment is gone"
        );
        let inactive = ent
            .equipment_search(&view(EquipmentView::Inactive, None))
            .await
            .unwrap();
        let inactive_rows = inactive.items.clone();
        assert_eq!(labels(&made, &ids(inactive)), ["scrapped", "stopped"]);
        assert!(
            inactive_rows
                .iter()
                .all(|r| r.status_changed_on == Some(today() - Duration::days(3)))
        );
        let all = ent
            .equipment_search(&EquipmentQuery::default())
            .await
            .unwrap();
        assert_eq!(all.total, 7);
        // Bad parameters are refused, not ignored.
        for q in [
            view(EquipmentView::Expiring, Some(0)),
            view(EquipmentView::Overdue, Some(30)),
        ] {
            let e = ent.equipment_search(&q).await.unwrap_err();
            assert_eq!(e.code(), Some("validation_failed"));
        }
    }
    both!(the_four_lists);

    async fn filters_and_sorting(app: TestApp) {
        let (_, made) = known_register(&app).await;
        let ent = app.login("demo-ent-1").await;
        let find = |q: EquipmentQuery| {
            let ent = ent.clone();
            let made = made.clone();
            async move {
                let page = ent.equipment_search(&q).await.unwrap();
                labels(&made, &page.items.iter().map(|e| e.id).collect::<Vec<_>>())
            }
        };
        let q = || EquipmentQuery::default();
        assert_eq!(
            find(EquipmentQuery {
                category: Some("3000".into()),
                ..q()
            })
            .await,
            ["deferred", "overdue"]
        );
        assert_eq!(
            find(EquipmentQuery {
                category: Some("3".into()),
                ..q()
            })
            .await,
            ["deferred", "overdue"]
        );
        assert_eq!(
            find(EquipmentQuery {
                variety: Some("4100".into()),
                ..q()
            })
            .await,
            ["failed"]
        );
        assert_eq!(
            find(EquipmentQuery {
                variety: Some("4000".into()),
                ..q()
            })
            .await,
            ["failed", "stopped"]
        );
        assert_eq!(
            find(EquipmentQuery {
                registration_code: Some("1100".into()),
                ..q()
            })
            .await,
            ["due_in_10"]
        );
        assert_eq!(
            find(EquipmentQuery {
                internal_no: Some("due_in".into()),
                ..q()
            })
            .await,
            ["due_in_10", "due_in_50"]
        );
        assert_eq!(
            find(EquipmentQuery {
                use_status: Some(UseStatus::Stopped),
                ..q()
            })
            .await,
            ["stopped"]
        );
        assert_eq!(
            find(EquipmentQuery {
                district: Some("330503".into()),
                ..q()
            })
            .await,
            ["due_in_10"]
        );
        assert_eq!(
            find(EquipmentQuery {
                location: Some("scrapped 车".into()),
                ..q()
            })
            .await,
            ["scrapped"]
        );
        assert_eq!(
            find(EquipmentQuery {
                manufacturer: Some("锅炉".into()),
                ..q()
            })
            .await
            .len(),
            3
        );
        // Wildcards in user text are literal.
        assert_eq!(
            find(EquipmentQuery {
                model: Some("100%".into()),
                ..q()
            })
            .await,
            ["overdue"]
        );
        assert_eq!(
            find(EquipmentQuery {
                model: Some("_".into()),
                ..q()
            })
            .await,
            Vec::<&str>::new()
        );
        assert_eq!(
            find(EquipmentQuery {
                last_outcome: Some(Outcome::Fail),
                ..q()
            })
            .await,
            ["failed", "scrapped"]
        );
        let t = today();
        assert_eq!(
            find(EquipmentQuery {
                next_from: Some(t),
                next_to: Some(t + Duration::days(60)),
                ..q()
            })
            .await,
            ["due_in_10", "due_in_50"]
        );
        assert_eq!(
            find(EquipmentQuery {
                registered_from: Some(t - Duration::days(795)),
                ..q()
            })
            .await,
            ["scrapped", "stopped"]
        );
        assert_eq!(
            find(EquipmentQuery {
                manufactured_to: Some(t - Duration::days(1550)),
                ..q()
            })
            .await,
            ["scrapped"]
        );
        // An inverted range and an unknown sort field are refused.
        let bad = EquipmentQuery {
            next_from: Some(t),
            next_to: Some(t - Duration::days(1)),
            ..q()
        };
        assert_eq!(
            ent.equipment_search(&bad).await.unwrap_err().code(),
            Some("validation_failed")
        );
        let bad = EquipmentQuery {
            sort: Some("password_hash".into()),
            ..q()
        };
        assert_eq!(
            ent.equipment_search(&bad).await.unwrap_err().code(),
            Some("validation_failed")
        );
        // Sorting by next date, both ways.
        let asc = ent.equipment_search(&q()).await.unwrap();
        let dates: Vec<_> = asc.items.iter().map(|e| e.next_inspection_date).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        let desc = ent
            .equipment_search(&EquipmentQuery {
                sort: Some("-next_inspection_date".into()),
                ..q()
            })
            .await
            .unwrap();
        let dates: Vec<_> = desc.items.iter().map(|e| e.next_inspection_date).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    }
    both!(filters_and_sorting);

    async fn overview_counts(app: TestApp) {
        known_register(&app).await;
        let ent = app.login("demo-ent-1").await;
        let o = ent.equipment_overview().await.unwrap();
        assert_eq!(
            (
                o.totals.total,
                o.totals.in_use,
                o.totals.overdue,
                o.totals.expiring,
                o.totals.unqualified,
                o.totals.inactive
            ),
            (7, 5, 1, 1, 1, 2)
        );
        let lifts = o
            .categories
            .iter()
            .find(|c| c.category_code == "3000")
            .unwrap();
        assert_eq!(
            (
                lifts.category_name.as_str(),
                lifts.counts.total,
                lifts.counts.overdue
            ),
            ("电梯", 2, 1)
        );
        // Catalogue order: 锅炉 (1000) before 电梯 (3000).
        assert_eq!(o.categories[0].category_code, "1000");
        // Another enterprise's overview does not include these.
        let other = app
            .login("demo-ent-2")
            .await
            .equipment_overview()
            .await
            .unwrap();
        assert_eq!(other.totals.total, 12);
        // Institute staff count the whole register, a bureau its district, in the same shape.
        let all = equipment::Entity::find().all(&app.db).await.unwrap();
        let staff = app
            .login("demo-institute")
            .await
            .equipment_overview()
            .await
            .unwrap();
        assert_eq!(staff.totals.total, all.len() as u64);
        let per_category: u64 = staff.categories.iter().map(|c| c.counts.overdue).sum();
        assert_eq!(per_category, staff.totals.overdue);
        assert!(staff.totals.overdue >= 1 && staff.totals.inactive >= 2);
        let bureau = app.login("demo-bureau").await;
        let district = bureau.equipment_overview().await.unwrap();
        let in_district = all.iter().filter(|e| e.district_code == "330502").count();
        assert_eq!(district.totals.total, in_district as u64);
    }
    both!(overview_counts);

    async fn archive_timeline_and_export(app: TestApp) {
        let (_, made) = known_register(&app).await;
        let ent = app.login("demo-ent-1").await;
        let other = app.login("demo-ent-2").await;
        let (_, overdue_id) = made[0];
        let detail = ent.equipment_by_id(overdue_id).await.unwrap();
        assert_eq!(detail.summary.variety_name, "曳引驱动乘客电梯");
        assert_eq!(detail.summary.enterprise_name, "湖州太湖物业管理有限公司");
        assert_eq!(detail.model.as_deref(), Some("WX-100%"));
        let timeline = ent.equipment_timeline(overdue_id).await.unwrap();
        let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["registered", "commissioned", "manufactured"],
            "newest first"
        );
        for (_, id) in &made {
            assert_eq!(
                other.equipment_by_id(*id).await.unwrap_err().status(),
                Some(404)
            );
            assert_eq!(
                other.equipment_timeline(*id).await.unwrap_err().status(),
                Some(404)
            );
        }
        // Export: the whole filtered list, BOM, Chinese headers, one line per row.
        let csv = ent
            .equipment_export(
                &EquipmentQuery {
                    view: Some(EquipmentView::Inactive),
                    ..Default::default()
                },
                ExportFormat::Csv,
            )
            .await
            .unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].contains("\"注册代码\"") && lines[0].contains("\"超期天数\""));
        assert!(text.contains("\"停用\"") && text.contains("\"报废\""));
        let other_csv = String::from_utf8(
            other
                .equipment_export(&EquipmentQuery::default(), ExportFormat::Csv)
                .await
                .unwrap(),
        )
        .unwrap();
        assert!(!other_csv.contains("湖州太湖物业管理有限公司"));
        // The same list as an Excel workbook (a zip with the sheet inside).
        let xlsx = ent
            .equipment_export(
                &EquipmentQuery {
                    view: Some(EquipmentView::Inactive),
                    ..Default::default()
                },
                ExportFormat::Xlsx,
            )
            .await
            .unwrap();
        assert!(xlsx.starts_with(b"PK\x03\x04"));
        assert!(xlsx.len() > 1000);
    }
    both!(archive_timeline_and_export);
}

/// Lists count up to `COUNT_CAP` rows: past it `total` stays at the cap and says so; below it the
/// count is exact.
async fn list_totals_stop_at_the_cap(app: TestApp) {
    use sea_orm::ConnectionTrait;
    use tejian_contract::equipment::{EquipmentQuery, EquipmentView};
    use tejian_contract::list::COUNT_CAP;

    let ent = app.login("demo-ent-1").await;
    let before = ent.equipment(PageQuery::default()).await.unwrap();
    assert_eq!((before.total, before.total_capped), (12, false));
    let template = before.items[0].id;
    // COUNT_CAP + 1 copies of one of demo-ent-1's units, written by the database itself.
    let copies = COUNT_CAP + 1;
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies}) \
         INSERT INTO equipment (enterprise_id, category_code, variety_code, install_location, \
         district_code, use_status, registration_status, params, created_at, updated_at) \
         SELECT e.enterprise_id, e.category_code, e.variety_code, e.install_location, \
         e.district_code, 'scrapped', e.registration_status, e.params, e.created_at, e.updated_at \
         FROM equipment e CROSS JOIN n WHERE e.id = {template}"
    );
    app.db.execute_unprepared(&sql).await.unwrap();

    let after = ent.equipment(PageQuery::default()).await.unwrap();
    assert_eq!((after.total, after.total_capped), (COUNT_CAP, true));
    assert_eq!(after.items.len(), 20);
    let staff = app.login("demo-institute").await;
    let all = staff.equipment(PageQuery::default()).await.unwrap();
    assert_eq!((all.total, all.total_capped), (COUNT_CAP, true));
    // A narrower list is counted exactly: the copies are scrapped, so not overdue.
    let overdue = ent
        .equipment_search(&EquipmentQuery {
            view: Some(EquipmentView::Overdue),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!overdue.total_capped);
    assert_eq!(overdue.total as usize, overdue.items.len());
    // The last reachable page still answers.
    let last = ent
        .equipment(PageQuery {
            page: Some(500),
            per_page: Some(20),
        })
        .await
        .unwrap();
    assert_eq!(last.items.len(), 20);
    // The CSV export streams every row, past the cap and through many channel rounds.
    let csv = ent
        .equipment_export(
            &EquipmentQuery::default(),
            tejian_contract::equipment::ExportFormat::Csv,
        )
        .await
        .unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(
        text.trim_end().split("\r\n").count(),
        1 + 12 + copies as usize
    );
}
both!(list_totals_stop_at_the_cap);
