//! 检验提醒: which reminder an enterprise gets about a piece of equipment, and when.
//!
//! Equipment is due on its 下次检验日期 (`due`). The enterprise must apply within the month before
//! it (the 报检 window, DOMAIN.md `due_soon`), so the reminders are, in the order they fire:
//!
//! - [`Threshold::Window`] (`window`): the equipment enters the application window,
//!   [`ReminderSettings::window_days`] before the due date (30 by default);
//! - [`Threshold::Days`] (`days:7`, `days:1`): the marks, a number of days before the due date;
//! - [`Threshold::OverdueWeek`] (`overdue:week:N`): once in every started week after the due date
//!   (week 1 starts the day after it), for at most [`OVERDUE_WEEKS_MAX`] weeks.
//!
//! A reminder is identified by (equipment, due date, threshold) and is sent at most once.
//! [`due_now`] decides which one, if any, is due on a given day:
//!
//! - **Catch-up**: the newest threshold whose day has come fires even when its own day was missed
//!   (the job did not run): a first run 3 days before the due date sends `days:7`.
//! - **Never backwards**: older thresholds that were skipped are never sent afterwards, and nothing
//!   older than (or as old as) a threshold already sent for that due date fires, so the same first
//!   run does not also send `window`, and a clock that goes back sends nothing.
//!
//! A new due date (after an inspection, or a corrected date) starts a fresh series.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::ParseError;
use crate::phone::MobileNumber;

/// Default days before the due date that the application window opens (one month).
pub const DEFAULT_WINDOW_DAYS: u16 = 30;
/// Default marks, days before the due date.
pub const DEFAULT_MARKS: [u16; 2] = [7, 1];
/// Allowed window days.
pub const WINDOW_DAYS: std::ops::RangeInclusive<u16> = 1..=90;
/// Allowed mark days.
pub const MARK_DAYS: std::ops::RangeInclusive<u16> = 1..=60;
/// Most marks an enterprise may set.
pub const MAX_MARKS: usize = 5;
/// Most extra phones an enterprise may add.
pub const MAX_EXTRA_PHONES: usize = 5;
/// Weekly overdue reminders stop after this many weeks (about a year): the equipment stays on the
/// 超期未检 list, but an SMS a week for ever would only be noise.
pub const OVERDUE_WEEKS_MAX: u32 = 52;

/// 提醒设置: an enterprise's thresholds and recipients. In-app (inbox) reminders always go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    window_days: u16,
    marks: Vec<u16>,
    weekly_overdue: bool,
    sms_to_safety_manager: bool,
    extra_phones: Vec<MobileNumber>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            window_days: DEFAULT_WINDOW_DAYS,
            marks: DEFAULT_MARKS.to_vec(),
            weekly_overdue: true,
            sms_to_safety_manager: true,
            extra_phones: Vec::new(),
        }
    }
}

/// Why settings were refused: the field (`window_days`, `marks`, `extra_phones/2` …) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    pub field: String,
    pub error: ParseError,
}

impl ReminderSettings {
    /// Checks and normalises settings: marks are sorted from the earliest (largest) down and
    /// deduplicated; a mark equal to the window is dropped (the window reminder covers that day);
    /// phones are parsed and deduplicated. Every problem is reported, not just the first.
    pub fn new(
        window_days: u16,
        marks: &[u16],
        weekly_overdue: bool,
        sms_to_safety_manager: bool,
        extra_phones: &[String],
    ) -> Result<Self, Vec<SettingsError>> {
        let mut errors = Vec::new();
        let mut fail = |field: String, code: &'static str, message: String| {
            errors.push(SettingsError {
                field,
                error: ParseError::new(code, message),
            });
        };
        if !WINDOW_DAYS.contains(&window_days) {
            fail(
                "window_days".to_owned(),
                "invalid_window_days",
                "报检期提醒应在到期前 1 到 90 天之间".to_owned(),
            );
        }
        if marks.len() > MAX_MARKS {
            fail(
                "marks".to_owned(),
                "too_many_marks",
                format!("到期前提醒最多设置 {MAX_MARKS} 个"),
            );
        }
        for (i, mark) in marks.iter().enumerate() {
            if !MARK_DAYS.contains(mark) {
                fail(
                    format!("marks/{i}"),
                    "invalid_mark",
                    "到期前提醒天数应在 1 到 60 之间".to_owned(),
                );
            }
        }
        if extra_phones.len() > MAX_EXTRA_PHONES {
            fail(
                "extra_phones".to_owned(),
                "too_many_phones",
                format!("其他接收手机最多 {MAX_EXTRA_PHONES} 个"),
            );
        }
        let mut phones: Vec<MobileNumber> = Vec::new();
        for (i, raw) in extra_phones.iter().enumerate() {
            match MobileNumber::parse(raw) {
                Ok(phone) if !phones.contains(&phone) => phones.push(phone),
                Ok(_) => {}
                Err(e) => fail(
                    format!("extra_phones/{i}"),
                    e.code(),
                    e.message().to_owned(),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut marks: Vec<u16> = marks
            .iter()
            .copied()
            .filter(|m| *m != window_days)
            .collect();
        marks.sort_unstable_by_key(|m| std::cmp::Reverse(*m));
        marks.dedup();
        Ok(Self {
            window_days,
            marks,
            weekly_overdue,
            sms_to_safety_manager,
            extra_phones: phones,
        })
    }

    /// Days before the due date that the window opens.
    pub fn window_days(&self) -> u16 {
        self.window_days
    }

    /// The marks, earliest (largest) first.
    pub fn marks(&self) -> &[u16] {
        &self.marks
    }

    /// Whether overdue equipment is reminded weekly.
    pub fn weekly_overdue(&self) -> bool {
        self.weekly_overdue
    }

    /// Whether the SMS goes to the 安全管理负责人's mobile.
    pub fn sms_to_safety_manager(&self) -> bool {
        self.sms_to_safety_manager
    }

    /// Further phones that get the SMS.
    pub fn extra_phones(&self) -> &[MobileNumber] {
        &self.extra_phones
    }

    /// How many days ahead of a due date any reminder can fire (the job's look-ahead).
    pub fn horizon_days(&self) -> u16 {
        self.marks
            .iter()
            .copied()
            .chain([self.window_days])
            .max()
            .unwrap_or(self.window_days)
    }

    /// The thresholds before the due date with their offsets, earliest first.
    fn before_due(&self) -> Vec<(Threshold, i32)> {
        let mut all: Vec<(Threshold, i32)> = vec![(Threshold::Window, i32::from(self.window_days))];
        all.extend(
            self.marks
                .iter()
                .map(|m| (Threshold::Days(*m), i32::from(*m))),
        );
        all.sort_by_key(|t| std::cmp::Reverse(t.1));
        all
    }
}

/// 提醒节点: one reminder of a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Threshold {
    /// 进入报检期: the application window opens.
    Window,
    /// 到期前 N 天.
    Days(u16),
    /// 超期第 N 周 (N ≥ 1).
    OverdueWeek(u32),
}

impl Threshold {
    /// The stable key stored with the reminder: `window`, `days:7`, `overdue:week:3`.
    pub fn key(&self) -> String {
        match self {
            Self::Window => "window".to_owned(),
            Self::Days(n) => format!("days:{n}"),
            Self::OverdueWeek(n) => format!("overdue:week:{n}"),
        }
    }

    /// Parses a key written by [`Threshold::key`].
    pub fn parse(key: &str) -> Result<Self, ParseError> {
        let bad = || ParseError::new("invalid_threshold", format!("未知的提醒节点：{key}"));
        if key == "window" {
            return Ok(Self::Window);
        }
        if let Some(n) = key.strip_prefix("days:") {
            return n.parse().map(Self::Days).map_err(|_| bad());
        }
        if let Some(n) = key.strip_prefix("overdue:week:") {
            return match n.parse() {
                Ok(0) | Err(_) => Err(bad()),
                Ok(n) => Ok(Self::OverdueWeek(n)),
            };
        }
        Err(bad())
    }

    /// The Chinese name, e.g. 进入报检期, 到期前 7 天, 超期第 2 周.
    pub fn label_zh(&self) -> String {
        match self {
            Self::Window => "进入报检期".to_owned(),
            Self::Days(n) => format!("到期前 {n} 天"),
            Self::OverdueWeek(n) => format!("超期第 {n} 周"),
        }
    }

    /// Whether this is an overdue reminder.
    pub fn is_overdue(&self) -> bool {
        matches!(self, Self::OverdueWeek(_))
    }
}

/// A reminder that is due now, with its offset: the days before the due date on which it was
/// scheduled (negative after the due date). Kept with the sent reminder, it orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub threshold: Threshold,
    pub offset: i32,
}

/// The offset of overdue week `n`: its first day, `7(n − 1) + 1` days after the due date.
fn overdue_offset(n: u32) -> i32 {
    let days = i64::from(n.saturating_sub(1)) * 7 + 1;
    -i32::try_from(days).unwrap_or(i32::MAX)
}

/// The reminder (if any) to send `today` for equipment due on `due`, given the reminders already
/// sent for that due date (`sent`). See the module documentation for the rules.
pub fn due_now(today: Date, due: Date, settings: &ReminderSettings, sent: &[Due]) -> Option<Due> {
    let days_left = (due - today).whole_days();
    let candidate = if days_left >= 0 {
        // The newest threshold whose day has come: the smallest offset that is ≥ days_left.
        settings
            .before_due()
            .into_iter()
            .filter(|(_, offset)| i64::from(*offset) >= days_left)
            .min_by_key(|(_, offset)| *offset)
            .map(|(threshold, offset)| Due { threshold, offset })?
    } else {
        if !settings.weekly_overdue {
            return None;
        }
        let late = u32::try_from(-days_left).ok()?;
        let week = (late - 1) / 7 + 1;
        if week > OVERDUE_WEEKS_MAX {
            return None;
        }
        Due {
            threshold: Threshold::OverdueWeek(week),
            offset: overdue_offset(week),
        }
    };
    let blocked = sent
        .iter()
        .any(|s| s.threshold == candidate.threshold || s.offset <= candidate.offset);
    (!blocked).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::Duration;
    use time::macros::date;

    const DUE: Date = date!(2027 - 03 - 31);

    fn at(days_before: i64) -> Date {
        DUE - Duration::days(days_before)
    }

    /// Runs the job on each day in order, keeping what was sent.
    fn run(days: &[Date], settings: &ReminderSettings) -> Vec<(Date, Due)> {
        let mut sent: Vec<Due> = Vec::new();
        let mut log = Vec::new();
        for day in days {
            if let Some(d) = due_now(*day, DUE, settings, &sent) {
                sent.push(d);
                log.push((*day, d));
            }
        }
        log
    }

    #[test]
    fn daily_runs_fire_each_default_threshold_on_its_day() {
        let settings = ReminderSettings::default();
        let days: Vec<Date> = (-20..=40).rev().map(at).collect();
        let fired: Vec<(i64, String)> = run(&days, &settings)
            .into_iter()
            .map(|(day, d)| ((DUE - day).whole_days(), d.threshold.key()))
            .collect();
        assert_eq!(
            fired,
            vec![
                (30, "window".to_owned()),
                (7, "days:7".to_owned()),
                (1, "days:1".to_owned()),
                (-1, "overdue:week:1".to_owned()),
                (-8, "overdue:week:2".to_owned()),
                (-15, "overdue:week:3".to_owned()),
            ]
        );
    }

    #[test]
    fn nothing_before_the_window() {
        let settings = ReminderSettings::default();
        assert_eq!(due_now(at(31), DUE, &settings, &[]), None);
        assert_eq!(
            due_now(at(30), DUE, &settings, &[]).map(|d| d.threshold),
            Some(Threshold::Window)
        );
    }

    #[test]
    fn a_late_first_run_sends_only_the_newest_threshold() {
        let settings = ReminderSettings::default();
        let fired = run(&[at(3), at(2), at(1), at(0)], &settings);
        let keys: Vec<String> = fired.iter().map(|(_, d)| d.threshold.key()).collect();
        assert_eq!(keys, vec!["days:7", "days:1"]);
    }

    #[test]
    fn the_due_day_itself_is_covered_by_the_last_mark() {
        let settings = ReminderSettings::default();
        let one = due_now(at(1), DUE, &settings, &[]);
        assert_eq!(one.map(|d| d.threshold), Some(Threshold::Days(1)));
        let sent = [one.unwrap()];
        assert_eq!(due_now(at(0), DUE, &settings, &sent), None);
        // Never reminded before: the due day still sends the last mark.
        assert_eq!(
            due_now(at(0), DUE, &settings, &[]).map(|d| d.threshold),
            Some(Threshold::Days(1))
        );
    }

    #[test]
    fn overdue_weeks_count_from_the_day_after_the_due_date() {
        let settings = ReminderSettings::default();
        let week = |late: i64| due_now(at(-late), DUE, &settings, &[]).map(|d| d.threshold);
        assert_eq!(week(1), Some(Threshold::OverdueWeek(1)));
        assert_eq!(week(7), Some(Threshold::OverdueWeek(1)));
        assert_eq!(week(8), Some(Threshold::OverdueWeek(2)));
        assert_eq!(week(7 * 52), Some(Threshold::OverdueWeek(52)));
        assert_eq!(week(7 * 52 + 1), None);
    }

    #[test]
    fn weekly_overdue_can_be_switched_off() {
        let settings = ReminderSettings::new(30, &[7, 1], false, true, &[]).unwrap();
        assert_eq!(due_now(at(-3), DUE, &settings, &[]), None);
    }

    #[test]
    fn a_clock_going_back_sends_nothing_older() {
        let settings = ReminderSettings::default();
        let sent = [due_now(at(7), DUE, &settings, &[]).unwrap()];
        assert_eq!(due_now(at(20), DUE, &settings, &sent), None);
    }

    #[test]
    fn settings_are_checked_and_normalised() {
        let s = ReminderSettings::new(
            30,
            &[1, 14, 7, 14, 30],
            true,
            false,
            &["139-5720-0001".to_owned(), "13957200001".to_owned()],
        )
        .unwrap();
        assert_eq!(s.marks(), &[14, 7, 1]);
        assert_eq!(s.extra_phones().len(), 1);
        assert_eq!(s.horizon_days(), 30);
        let wide = ReminderSettings::new(10, &[45], true, true, &[]).unwrap();
        assert_eq!(wide.horizon_days(), 45);

        let errors =
            ReminderSettings::new(0, &[0, 61], true, true, &["12345".to_owned()]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["window_days", "marks/0", "marks/1", "extra_phones/0"]
        );
        assert_eq!(errors[3].error.code(), "invalid_mobile");
        assert!(ReminderSettings::new(91, &[], true, true, &[]).is_err());
        let six: Vec<String> = (0..6).map(|i| format!("1395720000{i}")).collect();
        assert!(ReminderSettings::new(30, &[], true, true, &six).is_err());
    }

    #[test]
    fn keys_round_trip() {
        for t in [
            Threshold::Window,
            Threshold::Days(7),
            Threshold::OverdueWeek(3),
        ] {
            assert_eq!(Threshold::parse(&t.key()), Ok(t));
        }
        assert!(Threshold::parse("overdue:week:0").is_err());
        assert!(Threshold::parse("days:x").is_err());
        assert!(Threshold::parse("soon").is_err());
    }

    fn settings_strategy() -> impl Strategy<Value = ReminderSettings> {
        (
            1u16..=90,
            proptest::collection::vec(1u16..=60, 0..=5),
            any::<bool>(),
        )
            .prop_map(|(window, marks, weekly)| {
                ReminderSettings::new(window, &marks, weekly, true, &[]).unwrap()
            })
    }

    proptest! {
        /// Over any sequence of days, in any order (runs missed, repeated, a clock going back):
        /// a threshold fires at most once for a due date, and nothing fires that is not newer
        /// than everything sent before.
        #[test]
        fn a_threshold_never_fires_twice(
            settings in settings_strategy(),
            offsets in proptest::collection::vec(-400i64..=120, 0..80),
        ) {
            let days: Vec<Date> = offsets.iter().map(|o| at(*o)).collect();
            let fired = run(&days, &settings);
            let mut keys: Vec<String> = fired.iter().map(|(_, d)| d.threshold.key()).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), n);
            for pair in fired.windows(2) {
                prop_assert!(pair[1].1.offset < pair[0].1.offset);
            }
        }

        /// With days going forward, a reminder falls within the window whenever the job runs on
        /// a day between the window's opening and the due date (catch-up), and at most one a day.
        #[test]
        fn forward_runs_catch_up(
            settings in settings_strategy(),
            mut offsets in proptest::collection::vec(-30i64..=120, 1..40),
        ) {
            offsets.sort_unstable_by(|a, b| b.cmp(a));
            offsets.dedup();
            let days: Vec<Date> = offsets.iter().map(|o| at(*o)).collect();
            let fired = run(&days, &settings);
            let window = i64::from(settings.horizon_days());
            if offsets.iter().any(|o| (0..=window).contains(o)) {
                prop_assert!(fired.iter().any(|(_, d)| d.offset >= 0));
            }
            for (day, d) in &fired {
                // Never early: the threshold's day has come.
                prop_assert!((DUE - *day).whole_days() <= i64::from(d.offset));
            }
        }
    }
}
