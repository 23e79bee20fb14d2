//! 检验提醒 and 站内消息: thresholds on the right days, exactly once over reruns, consecutive days
//! and two workers; settings (marks, SMS off, extra phones); inbox isolation and per-user read marks.

use std::collections::BTreeMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use tejian_api::store::entity::{
    app_user, audit_log, enterprise, equipment, notification, outbox_message, reminder,
};
use tejian_contract::notification::{NotificationQuery, ReminderSettings, RunReminders};
use time::macros::date;
use time::{Date, Duration};

use crate::both;
use crate::helpers::TestApp;

/// The day the tests run the job for.
const T: Date = date!(2027 - 06 - 01);

fn day(offset: i64) -> Date {
    T + Duration::days(offset)
}

async fn enterprise_of(app: &TestApp, username: &str) -> enterprise::Model {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    enterprise::Entity::find_by_id(user.enterprise_id.unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Moves every unit far from `T`, then gives `count` in-use units of the enterprise the due dates
/// `offsets` (days from `T`), in id order. Returns those units.
async fn units_due(app: &TestApp, enterprise_id: i64, offsets: &[i64]) -> Vec<equipment::Model> {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::NextInspectionDate, Expr::value(day(400)))
        .col_expr(
            equipment::Column::DeferredUntil,
            Expr::value(Option::<Date>::None),
        )
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .exec(&app.db)
        .await
        .unwrap();
    let units = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .order_by_asc(equipment::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(units.len() >= offsets.len(), "not enough units in use");
    let mut chosen = Vec::new();
    for (unit, offset) in units.into_iter().zip(offsets) {
        let mut active: equipment::ActiveModel = unit.into();
        active.next_inspection_date = Set(Some(day(*offset)));
        chosen.push(active.update(&app.db).await.unwrap());
    }
    chosen
}

/// Moves every unit of every enterprise out of reach of the job.
async fn quiet_all(app: &TestApp) {
    equipment::Entity::update_many()
        .col_expr(equipment::Column::NextInspectionDate, Expr::value(day(400)))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn thresholds(app: &TestApp, equipment_id: i64) -> Vec<(String, Date)> {
    reminder::Entity::find()
        .filter(reminder::Column::EquipmentId.eq(equipment_id))
        .order_by_asc(reminder::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.threshold, r.run_on))
        .collect()
}

async fn reminder_sms(app: &TestApp) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("inspection_reminder"))
        .order_by_asc(outbox_message::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn code(e: &equipment::Model) -> String {
    e.registration_code
        .clone()
        .or_else(|| e.equipment_code.clone())
        .unwrap()
}

async fn thresholds_fire_once_on_their_days(app: TestApp) {
    quiet_all(&app).await;
    let ent = enterprise_of(&app, "demo-ent-1").await;
    // Window today, 7 days, a late first run 3 days before (only days:7), 10 days overdue.
    let units = units_due(&app, ent.id, &[30, 7, 3, -10]).await;
    let run = app.services.run_reminders(T).await.unwrap();
    assert_eq!(
        (run.enterprises, run.reminders, run.sms, run.failed),
        (1, 4, 1, 0)
    );
    let first: Vec<String> = {
        let mut v = Vec::new();
        for u in &units {
            v.push(thresholds(&app, u.id).await[0].0.clone());
        }
        v
    };
    assert_eq!(first, ["window", "days:7", "days:7", "overdue:week:2"]);

    // The same day again, twice: nothing new.
    for _ in 0..2 {
        let again = app.services.run_reminders(T).await.unwrap();
        assert_eq!((again.reminders, again.sms), (0, 0));
    }
    let sms = reminder_sms(&app).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].recipient, ent.safety_manager_phone.clone().unwrap());
    let body = &sms[0].body;
    assert!(body.contains(&ent.name), "{body}");
    assert!(body.contains("3 台即将到期"), "{body}");
    assert!(body.contains(&format!("最早 {}", day(3))), "{body}");
    assert!(body.contains("1 台已超期未检"), "{body}");
    assert!(
        body.contains(&format!(
            "{}、{}、{}等",
            code(&units[0]),
            code(&units[1]),
            code(&units[2])
        )),
        "{body}"
    );
    assert!(!body.contains(&code(&units[3])), "{body}");

    // Consecutive days, each run three times: every threshold exactly once, on its day.
    let mut sms_days = 1;
    for offset in 1..=40 {
        let mut new = 0;
        for _ in 0..3 {
            new += app
                .services
                .run_reminders(day(offset))
                .await
                .unwrap()
                .reminders;
        }
        if new > 0 {
            sms_days += 1;
        }
    }
    let expected_a: Vec<(String, Date)> = [
        ("window", 0),
        ("days:7", 23),
        ("days:1", 29),
        ("overdue:week:1", 31),
        ("overdue:week:2", 38),
    ]
    .iter()
    .map(|(k, d)| ((*k).to_owned(), day(*d)))
    .collect();
    assert_eq!(thresholds(&app, units[0].id).await, expected_a);
    let expected_c: Vec<(String, Date)> = [
        ("days:7", 0),
        ("days:1", 2),
        ("overdue:week:1", 4),
        ("overdue:week:2", 11),
        ("overdue:week:3", 18),
        ("overdue:week:4", 25),
        ("overdue:week:5", 32),
        ("overdue:week:6", 39),
    ]
    .iter()
    .map(|(k, d)| ((*k).to_owned(), day(*d)))
    .collect();
    assert_eq!(thresholds(&app, units[2].id).await, expected_c);
    // The overdue unit: week 2 on the first day, then a week at a time.
    let d: Vec<String> = thresholds(&app, units[3].id)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        d,
        (2..=8)
            .map(|n| format!("overdue:week:{n}"))
            .collect::<Vec<_>>()
    );

    // One inbox entry per reminder, one SMS per day that had any.
    let reminders = reminder::Entity::find().all(&app.db).await.unwrap();
    let notes = notification::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(notes.len(), reminders.len());
    assert_eq!(reminder_sms(&app).await.len(), sms_days);

    // A new due date (the unit was inspected) starts a fresh series.
    let mut a: equipment::ActiveModel = units[0].clone().into();
    a.next_inspection_date = Set(Some(day(41 + 30)));
    a.update(&app.db).await.unwrap();
    let run = app.services.run_reminders(day(41)).await.unwrap();
    assert!(run.reminders >= 1);
    let last = thresholds(&app, units[0].id).await.pop().unwrap();
    assert_eq!(last, ("window".to_owned(), day(41)));
}
both!(thresholds_fire_once_on_their_days);

async fn two_workers_send_each_reminder_once(app: TestApp) {
    quiet_all(&app).await;
    let ent1 = enterprise_of(&app, "demo-ent-1").await;
    let ent2 = enterprise_of(&app, "demo-ent-2").await;
    units_due(&app, ent1.id, &[30, 7, 1, -1, -20]).await;
    units_due(&app, ent2.id, &[5, -3]).await;
    let (a, b) = tokio::join!(app.services.run_reminders(T), app.services.run_reminders(T));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.failed + b.failed, 0, "{a:?} {b:?}");
    assert_eq!(a.reminders + b.reminders, 7, "{a:?} {b:?}");
    assert_eq!(a.sms + b.sms, 2, "{a:?} {b:?}");
    assert_eq!(
        reminder::Entity::find().all(&app.db).await.unwrap().len(),
        7
    );
    assert_eq!(
        notification::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        7
    );
    let sms = reminder_sms(&app).await;
    let recipients: Vec<String> = sms.iter().map(|m| m.recipient.clone()).collect();
    assert_eq!(sms.len(), 2, "{recipients:?}");
    assert!(recipients.contains(&ent1.safety_manager_phone.clone().unwrap()));
    assert!(recipients.contains(&ent2.safety_manager_phone.clone().unwrap()));

    // And again the next day, both at once: only what is new (ent2's 5-day unit has no new mark;
    // nothing else either).
    let (a, b) = tokio::join!(
        app.services.run_reminders(day(1)),
        app.services.run_reminders(day(1))
    );
    assert_eq!(a.unwrap().reminders + b.unwrap().reminders, 0);
}
both!(two_workers_send_each_reminder_once);

async fn settings_are_respected_and_audited(app: TestApp) {
    quiet_all(&app).await;
    let ent1 = enterprise_of(&app, "demo-ent-1").await;
    let user1 = app.login("demo-ent-1").await;
    let user2 = app.login("demo-ent-2").await;

    let defaults = user1.reminder_settings().await.unwrap();
    assert_eq!(defaults.settings.window_days, 30);
    assert_eq!(defaults.settings.marks, vec![7, 1]);
    assert!(defaults.settings.weekly_overdue && defaults.settings.sms_to_safety_manager);
    assert_eq!(
        defaults.safety_manager_phone.as_deref(),
        Some("138****1000")
    );
    assert!(defaults.editable);

    // Bad input: every field reported, nothing changed.
    let e = user1
        .update_reminder_settings(&ReminderSettings {
            window_days: 0,
            marks: vec![7, 61],
            weekly_overdue: true,
            sms_to_safety_manager: true,
            extra_phones: vec!["12345".to_owned()],
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(422), Some("validation_failed"))
    );
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    let pointers: Vec<&str> = p.errors.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(pointers, ["/window_days", "/marks/1", "/extra_phones/0"]);
    assert_eq!(p.errors[2].code, "invalid_mobile");
    assert_eq!(user1.reminder_settings().await.unwrap(), defaults);

    let saved = user1
        .update_reminder_settings(&ReminderSettings {
            window_days: 20,
            marks: vec![10],
            weekly_overdue: false,
            sms_to_safety_manager: false,
            extra_phones: vec!["139 5720 0001".to_owned(), "+8613957200002".to_owned()],
        })
        .await
        .unwrap();
    assert_eq!(saved.settings.window_days, 20);
    assert_eq!(saved.settings.marks, vec![10]);
    assert_eq!(
        saved.settings.extra_phones,
        vec!["13957200001".to_owned(), "13957200002".to_owned()]
    );
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("reminder_settings.update"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].enterprise_id, Some(ent1.id));
    assert_eq!(audit[0].before.as_ref().unwrap()["window_days"], 30);
    assert_eq!(audit[0].after.as_ref().unwrap()["window_days"], 20);
    // The other enterprise keeps the defaults.
    assert_eq!(
        user2
            .reminder_settings()
            .await
            .unwrap()
            .settings
            .window_days,
        30
    );

    // Window at 20 days, a mark at 10 (7 no longer is one), overdue reminders off.
    let units = units_due(&app, ent1.id, &[20, 10, 7, -3, 25]).await;
    let run = app.services.run_reminders(T).await.unwrap();
    assert_eq!((run.reminders, run.sms), (3, 2));
    let mut got = Vec::new();
    for u in &units {
        got.push(
            thresholds(&app, u.id)
                .await
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        got,
        vec![
            vec!["window".to_owned()],
            vec!["days:10".to_owned()],
            vec!["days:10".to_owned()],
            vec![],
            vec![],
        ]
    );
    let recipients: Vec<String> = reminder_sms(&app)
        .await
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert_eq!(recipients, ["13957200001", "13957200002"]);

    // No SMS recipient at all: the inbox still gets the reminder, the outbox nothing.
    user1
        .update_reminder_settings(&ReminderSettings {
            window_days: 30,
            marks: vec![7, 1],
            weekly_overdue: true,
            sms_to_safety_manager: false,
            extra_phones: Vec::new(),
        })
        .await
        .unwrap();
    let fresh = units_due(&app, ent1.id, &[8]).await;
    let run = app.services.run_reminders(day(1)).await.unwrap();
    assert_eq!((run.reminders, run.sms), (1, 0));
    assert_eq!(
        thresholds(&app, fresh[0].id).await.pop().unwrap(),
        ("days:7".to_owned(), day(1))
    );
    assert_eq!(reminder_sms(&app).await.len(), 2);
    let restored = user1.reminder_settings().await.unwrap().settings;
    // Only the enterprise admin changes them: an operator reads them (not editable) and is refused.
    let operator = app.login("demo-operator").await;
    let seen = operator.reminder_settings().await.unwrap();
    assert_eq!(seen.settings, restored);
    assert!(!seen.editable);
    let e = operator
        .update_reminder_settings(&seen.settings)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(403), Some("enterprise_admin_required"))
    );
    let viewer = app.login("demo-viewer").await;
    let e = viewer
        .update_reminder_settings(&seen.settings)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));
    // Only enterprise users have settings; staff cannot change them.
    let staff = app.login("demo-institute").await;
    let e = staff.reminder_settings().await.unwrap_err();
    assert_eq!(e.status(), Some(403));
}
both!(settings_are_respected_and_audited);

async fn inbox_is_private_and_read_marks_are_per_user(app: TestApp) {
    quiet_all(&app).await;
    let ent1 = enterprise_of(&app, "demo-ent-1").await;
    let ent2 = enterprise_of(&app, "demo-ent-2").await;
    let units1 = units_due(&app, ent1.id, &[30, 7, 1, -2]).await;
    units_due(&app, ent2.id, &[7]).await;
    // A second user of enterprise 1 (same password as the demo user).
    let first = app_user::Entity::find()
        .filter(app_user::Column::Username.eq("demo-ent-1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut second: app_user::ActiveModel = first.clone().into();
    second.id = sea_orm::ActiveValue::NotSet;
    second.username = Set("demo-ent-1-b".to_owned());
    second.insert(&app.db).await.unwrap();

    // Staff run the job over REST; enterprises may not.
    let ent_user = app.login("demo-ent-1").await;
    let e = ent_user
        .run_reminders(&RunReminders { date: Some(T) })
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));
    let staff = app.login("demo-institute").await;
    let run = staff
        .run_reminders(&RunReminders { date: Some(T) })
        .await
        .unwrap();
    assert_eq!((run.date, run.enterprises, run.reminders), (T, 2, 5));
    assert_eq!(
        staff
            .notifications(&NotificationQuery::default())
            .await
            .unwrap()
            .total,
        0
    );

    let b = app.login("demo-ent-1-b").await;
    let page = ent_user
        .notifications(&NotificationQuery::default())
        .await
        .unwrap();
    assert_eq!((page.total, page.unread, page.items.len()), (4, 4, 4));
    let by_equipment: BTreeMap<i64, (Option<String>, Option<String>)> = page
        .items
        .iter()
        .map(|n| {
            (
                n.equipment_id.unwrap(),
                (n.threshold.clone(), n.equipment_label.clone()),
            )
        })
        .collect();
    assert_eq!(
        by_equipment[&units1[0].id],
        (Some("window".to_owned()), Some(code(&units1[0])))
    );
    let overdue = page
        .items
        .iter()
        .find(|n| n.equipment_id == Some(units1[3].id))
        .unwrap();
    assert_eq!(overdue.kind, "reminder_overdue");
    assert_eq!(overdue.due_date, Some(day(-2)));
    assert!(overdue.body.contains("已超期 2 天"), "{}", overdue.body);
    assert!(page.items.iter().all(|n| !n.read));

    // Enterprise 2 sees only its own entry and cannot touch enterprise 1's.
    let other = app.login("demo-ent-2").await;
    let page2 = other
        .notifications(&NotificationQuery::default())
        .await
        .unwrap();
    assert_eq!((page2.total, page2.unread), (1, 1));
    let foreign = page.items[0].id;
    let e = other.mark_notification_read(foreign).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(404), Some("not_found")));

    // Read marks belong to the user.
    let r = ent_user.mark_notification_read(foreign).await.unwrap();
    assert_eq!((r.marked, r.unread), (1, 3));
    let r = ent_user.mark_notification_read(foreign).await.unwrap();
    assert_eq!((r.marked, r.unread), (0, 3));
    let unread_only = ent_user
        .notifications(&NotificationQuery {
            unread: Some(true),
            ..NotificationQuery::default()
        })
        .await
        .unwrap();
    assert_eq!((unread_only.total, unread_only.unread), (3, 3));
    assert!(unread_only.items.iter().all(|n| n.id != foreign));
    assert_eq!(
        b.notifications(&NotificationQuery::default())
            .await
            .unwrap()
            .unread,
        4
    );
    let all = ent_user.mark_all_notifications_read().await.unwrap();
    assert_eq!((all.marked, all.unread), (3, 0));
    let after = ent_user
        .notifications(&NotificationQuery::default())
        .await
        .unwrap();
    assert!(after.items.iter().all(|n| n.read));
    assert_eq!(
        b.notifications(&NotificationQuery::default())
            .await
            .unwrap()
            .unread,
        4
    );
    assert_eq!(
        other
            .notifications(&NotificationQuery::default())
            .await
            .unwrap()
            .unread,
        1
    );
    // A viewer of the same enterprise reads the inbox and marks it read for themself.
    let viewer = app.login("demo-viewer").await;
    let r = viewer.mark_notification_read(foreign).await.unwrap();
    assert_eq!((r.marked, r.unread), (1, 3));
    assert_eq!(
        b.notifications(&NotificationQuery::default())
            .await
            .unwrap()
            .unread,
        4
    );
    // Paging is checked like every list.
    let e = ent_user
        .notifications(&NotificationQuery {
            per_page: Some(500),
            ..NotificationQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
}
both!(inbox_is_private_and_read_marks_are_per_user);
