//! Label/value tables shared by the report and the notice.

use crate::Field;
use crate::layout::{BODY, CELL_PAD, CONTENT_W, Cell, LEFT, Layout};

/// Width of a label column.
pub(crate) const LABEL_W: f32 = 92.0;
/// Width of a value column when two label/value pairs share a row.
pub(crate) const PAIR_VALUE_W: f32 = (CONTENT_W - 2.0 * LABEL_W) / 2.0;

/// The fields as a ruled table: two short fields per row, a long one (or one next to a long
/// one) on a row of its own.
pub(crate) fn fields(layout: &mut Layout<'_, '_>, fields: &[Field]) {
    let fits = |layout: &Layout<'_, '_>, field: &Field| {
        !field.value.contains('\n')
            && layout.shaper.width(&field.value, BODY, false) <= PAIR_VALUE_W - 2.0 * CELL_PAD
            && layout.shaper.width(&field.label, BODY, false) <= LABEL_W - 2.0 * CELL_PAD
    };
    let mut pending: Option<&Field> = None;
    for field in fields {
        if fits(layout, field) {
            match pending.take() {
                Some(first) => pair(layout, first, field),
                None => pending = Some(field),
            }
        } else {
            if let Some(first) = pending.take() {
                single(layout, first);
            }
            single(layout, field);
        }
    }
    if let Some(first) = pending {
        single(layout, first);
    }
}

fn pair(layout: &mut Layout<'_, '_>, a: &Field, b: &Field) {
    layout.row(
        LEFT,
        &[
            Cell::label(a.label.as_str(), LABEL_W),
            Cell::value(a.value.as_str(), PAIR_VALUE_W),
            Cell::label(b.label.as_str(), LABEL_W),
            Cell::value(b.value.as_str(), PAIR_VALUE_W),
        ],
    );
}

fn single(layout: &mut Layout<'_, '_>, field: &Field) {
    layout.row(
        LEFT,
        &[
            Cell::label(field.label.as_str(), LABEL_W),
            Cell::value(field.value.as_str(), CONTENT_W - LABEL_W),
        ],
    );
}

/// Chinese section numbers: 一、二、… (plain digits past ten, which these documents never reach).
pub(crate) fn section_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match n.checked_sub(1).and_then(|i| DIGITS.get(i)) {
        Some(digit) => format!("{digit}、"),
        None => format!("{n}、"),
    }
}
