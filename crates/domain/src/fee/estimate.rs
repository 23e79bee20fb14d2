//! 计算: the estimate of one request under one tariff (the rules are in the module doc of
//! [`crate::fee`]).

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::tariff::{Band, Banded, FeeRule, Measure, Method, MethodKind, Multiplier, Tariff};
use super::{
    FeeEstimate, FeeLine, FeeRequest, LineKind, MAX_QUANTITY, REFERENCE_LABEL, STANDARD_LABEL,
    params_error,
};
use crate::catalogue::{self, CatalogueCode};
use crate::equipment::params::{EquipmentParams, VesselClass};
use crate::error::ParseError;
use crate::inspection::InspectionType;
use crate::money::Money;

/// The largest supplementary measure a request may give.
const MAX_MEASURE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

fn error(code: &'static str, message: impl Into<String>) -> ParseError {
    ParseError::new(code, message)
}

fn out_of_range() -> ParseError {
    error("amount_out_of_range", "金额超出可处理的范围")
}

fn invalid_tariff(what: &str) -> ParseError {
    error("invalid_tariff", format!("收费标准有误：{what}"))
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ParseError> {
    a.checked_mul(b).ok_or_else(out_of_range)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, ParseError> {
    a.checked_add(b).ok_or_else(out_of_range)
}

fn percent_of(amount: Decimal, percent: Decimal) -> Result<Decimal, ParseError> {
    mul(amount, percent)?
        .checked_div(Decimal::ONE_HUNDRED)
        .ok_or_else(out_of_range)
}

fn round(amount: Decimal) -> Result<Money, ParseError> {
    Money::round_half_up(amount)
}

fn sum(lines: &[FeeLine]) -> Result<Money, ParseError> {
    Money::checked_sum(lines.iter().map(|line| line.amount)).ok_or_else(out_of_range)
}

/// A number for people: no trailing zeros.
fn num(value: Decimal) -> String {
    value.normalize().to_string()
}

/// `(factor − 1)` as a percentage: 1.5 → `50`.
fn extra_percent(factor: Decimal) -> Result<Decimal, ParseError> {
    mul(
        factor.checked_sub(Decimal::ONE).ok_or_else(out_of_range)?,
        Decimal::ONE_HUNDRED,
    )
}

/// The estimate of `request` under `tariff`.
///
/// Fails with a [`ParseError`] whose code is one of those listed in the module doc of
/// [`crate::fee`]; never panics, whatever the request (and whatever the tariff, though a tariff
/// that did not pass [`Tariff::validate`] may give odd results).
pub fn estimate(tariff: &Tariff, request: &FeeRequest) -> Result<FeeEstimate, ParseError> {
    let params = check_request(request)?;
    let rule = find_rule(tariff, request)?;
    let mut calc = Calc {
        tariff,
        rule,
        request,
        facts: facts(request.variety, &params),
        params,
        assumptions: Vec::new(),
    };
    let mut lines = calc.price_inspection()?;
    calc.imported(&mut lines)?;
    calc.options(&mut lines)?;
    let total = sum(&lines)?;
    let source = rule.source.clone().unwrap_or_else(|| tariff.source.clone());
    Ok(FeeEstimate {
        tariff_id: tariff.id.clone(),
        tariff_name: tariff.name.clone(),
        reference: tariff.reference,
        label: if tariff.reference {
            REFERENCE_LABEL
        } else {
            STANDARD_LABEL
        }
        .to_owned(),
        rule: rule.name.clone(),
        source,
        variety: request.variety,
        inspection_type: request.inspection_type,
        lines,
        total,
        assumptions: calc.assumptions,
        note: tariff.note().to_owned(),
    })
}

/// Checks what the request says on its own, and re-reads its parameters for its variety.
fn check_request(request: &FeeRequest) -> Result<EquipmentParams, ParseError> {
    let params = EquipmentParams::parse(request.variety.as_str(), &request.params.to_json())
        .map_err(|problems| params_error(&problems))?;
    for (measure, value) in &request.measures {
        if !measure.is_supplementary() {
            return Err(error(
                "not_a_supplementary_measure",
                format!(
                    "{}（{}）应填写在设备参数中",
                    measure.label_zh(),
                    measure.as_str()
                ),
            ));
        }
        if *value <= Decimal::ZERO || *value > MAX_MEASURE {
            return Err(error(
                "invalid_measure",
                format!(
                    "{}应大于 0 且不超过 {}：{}",
                    measure.label_zh(),
                    MAX_MEASURE,
                    num(*value)
                ),
            ));
        }
    }
    for (what, price) in [
        ("出厂价", request.ex_works_price),
        ("工程费用", request.works_cost),
    ] {
        if price.is_some_and(Money::is_negative) {
            return Err(error("invalid_price", format!("{what}不得为负数")));
        }
    }
    let mut keys = BTreeSet::new();
    for option in &request.options {
        if option.quantity == 0 || option.quantity > MAX_QUANTITY {
            return Err(error(
                "invalid_quantity",
                format!(
                    "可选项目 {} 的数量应为 1～{MAX_QUANTITY}：{}",
                    option.key, option.quantity
                ),
            ));
        }
        if !keys.insert(option.key.as_str()) {
            return Err(error(
                "duplicate_fee_option",
                format!("可选项目 {} 重复，请合并数量", option.key),
            ));
        }
    }
    Ok(params)
}

fn find_rule<'t>(tariff: &'t Tariff, request: &FeeRequest) -> Result<&'t FeeRule, ParseError> {
    let variety = request.variety;
    if let Some(rule) = tariff.rule_for(variety, request.subtype.as_deref()) {
        return Ok(rule);
    }
    match &request.subtype {
        Some(subtype) => {
            let offered: Vec<String> = tariff
                .subtypes_for(variety)
                .iter()
                .map(|(key, name)| format!("{name}（{key}）"))
                .collect();
            let hint = if offered.is_empty() {
                "该品种没有子类".to_owned()
            } else {
                format!("可选：{}", offered.join("、"))
            };
            Err(error(
                "unknown_subtype",
                format!("{}没有子类 {subtype}（{hint}）", variety.name()),
            ))
        }
        None => Err(error(
            "no_fee_rule",
            format!(
                "收费标准「{}」中没有{}（{}）的收费规则",
                tariff.name,
                variety.name(),
                variety
            ),
        )),
    }
}

/// The parameters as conditions see them: stored values plus derived ones.
fn facts(variety: CatalogueCode, params: &EquipmentParams) -> Map<String, Value> {
    let mut facts = match params.to_json() {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    match params {
        EquipmentParams::PressureVessel(_) => {
            if let Some(class) = VesselClass::from_variety(variety.as_str()) {
                facts.insert("vessel_class".to_owned(), Value::from(class.as_str()));
            }
        }
        EquipmentParams::Crane(p) => {
            if let Some(kind) = p.kind {
                facts.insert("kind".to_owned(), Value::from(kind.as_str()));
            }
            let molten = p
                .lifts_molten_metal
                .unwrap_or_else(|| variety.as_str().starts_with("415"));
            facts.insert("lifts_molten_metal".to_owned(), Value::Bool(molten));
        }
        _ => {}
    }
    facts
}

fn as_decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `true` when a fact equals an expected value (a list: any of them).
fn value_matches(expected: &Value, actual: &Value) -> bool {
    match expected {
        Value::Array(items) => items.iter().any(|item| value_matches(item, actual)),
        Value::Bool(b) => actual.as_bool() == Some(*b),
        Value::String(text) => {
            actual
                .as_str()
                .is_some_and(|a| a.trim().eq_ignore_ascii_case(text.trim()))
                || matches!((as_decimal(expected), as_decimal(actual)), (Some(e), Some(a)) if e == a)
        }
        Value::Number(_) => {
            matches!((as_decimal(expected), as_decimal(actual)), (Some(e), Some(a)) if e == a)
        }
        _ => false,
    }
}

/// `true` when `code` is `ancestor` or below it in the catalogue.
fn is_under(code: CatalogueCode, ancestor: CatalogueCode) -> bool {
    let mut here = Some(code.as_str());
    for _ in 0..4 {
        match here {
            Some(c) if c == ancestor.as_str() => return true,
            Some(c) => here = catalogue::find(c).and_then(|entry| entry.parent),
            None => return false,
        }
    }
    false
}

/// Where a value falls among bands.
struct Lookup {
    index: usize,
    value: Option<Decimal>,
    /// The value was missing and the lowest band was taken.
    fallback: bool,
    /// The band as text, e.g. `2 < D ≤ 4`; empty without a measure.
    range: String,
}

fn range_text<B: Banded>(bands: &[B], index: usize, measure: Measure) -> String {
    let Some(band) = bands.get(index) else {
        return String::new();
    };
    if let Some(label) = band.label() {
        return label.to_owned();
    }
    let symbol = measure.symbol();
    let lower = index
        .checked_sub(1)
        .and_then(|i| bands.get(i))
        .and_then(Banded::up_to);
    match (lower, band.up_to()) {
        (None, Some(upper)) => format!("{symbol} ≤ {}", num(upper)),
        (Some(lower), Some(upper)) => format!("{} < {symbol} ≤ {}", num(lower), num(upper)),
        (Some(lower), None) => format!("{symbol} > {}", num(lower)),
        (None, None) => String::new(),
    }
}

/// The running calculation.
struct Calc<'a> {
    tariff: &'a Tariff,
    rule: &'a FeeRule,
    request: &'a FeeRequest,
    params: EquipmentParams,
    facts: Map<String, Value>,
    assumptions: Vec<String>,
}

/// A method that does not apply, and why.
type NotApplicable = String;

impl Calc<'_> {
    fn value(&self, measure: Measure) -> Option<Decimal> {
        measure.from_params(&self.params).or_else(|| {
            if measure.is_supplementary() {
                self.request.measures.get(&measure).copied()
            } else {
                None
            }
        })
    }

    fn lookup<B: Banded>(
        &self,
        bands: &[B],
        measure: Option<Measure>,
    ) -> Result<Lookup, ParseError> {
        if bands.is_empty() {
            return Err(invalid_tariff("缺少分档"));
        }
        let Some(measure) = measure else {
            return Ok(Lookup {
                index: 0,
                value: None,
                fallback: false,
                range: String::new(),
            });
        };
        let Some(value) = self.value(measure) else {
            return Ok(Lookup {
                index: 0,
                value: None,
                fallback: true,
                range: range_text(bands, 0, measure),
            });
        };
        let index = bands
            .iter()
            .position(|band| band.up_to().is_none_or(|upper| value <= upper))
            .ok_or_else(|| {
                error(
                    "out_of_tariff_range",
                    format!(
                        "{} {} 超出收费标准的范围（最高档 {}）",
                        measure.label_zh(),
                        measure.show(value),
                        range_text(bands, bands.len() - 1, measure)
                    ),
                )
            })?;
        Ok(Lookup {
            index,
            value: Some(value),
            fallback: false,
            range: range_text(bands, index, measure),
        })
    }

    /// The value and band as text: `额定蒸发量 4 t/h，2 < D ≤ 4 档`; `None` without a measure.
    fn describe(look: &Lookup, measure: Option<Measure>) -> Option<String> {
        let measure = measure?;
        let label = measure.label_zh();
        if look.fallback {
            return Some(if look.range.is_empty() {
                format!("未提供{label}")
            } else {
                format!("未提供{label}，按最低档（{}）计", look.range)
            });
        }
        let shown = measure.show(look.value?);
        Some(if look.range.is_empty() || look.range == shown {
            format!("{label} {shown}")
        } else {
            format!("{label} {shown}，{} 档", look.range)
        })
    }

    /// The price of a band, and the formula when it has a rate.
    fn band_amount(
        &self,
        band: &Band,
        measure: Option<Measure>,
        range: &str,
    ) -> Result<(Decimal, Option<String>), ParseError> {
        let fixed = band.amount.unwrap_or(Decimal::ZERO);
        let Some(rate) = band.rate else {
            return Ok((fixed, None));
        };
        let per = band
            .per
            .or(measure)
            .ok_or_else(|| invalid_tariff("单价缺少计费参数"))?;
        let value = self.value(per).ok_or_else(|| {
            let unit = if per.unit().is_empty() {
                String::new()
            } else {
                format!("（{}）", per.unit())
            };
            let band = if range.is_empty() {
                String::new()
            } else {
                format!("{range} 档")
            };
            error(
                "missing_parameter",
                format!(
                    "{band}按{}计费，请填写{}{unit}",
                    per.label_zh(),
                    per.label_zh()
                ),
            )
        })?;
        let over = band.over.unwrap_or(Decimal::ZERO);
        let excess = value
            .checked_sub(over)
            .ok_or_else(out_of_range)?
            .max(Decimal::ZERO);
        let amount = add(fixed, mul(rate, excess)?)?;
        let term = if Some(per) == measure {
            if over.is_zero() {
                format!("{} × {}", num(rate), num(value))
            } else {
                format!("{} × ({} − {})", num(rate), num(value), num(over))
            }
        } else {
            format!(
                "{} 元/{} × {} {}",
                num(rate),
                per.unit(),
                per.label_zh(),
                per.show(value)
            )
        };
        let formula = if fixed.is_zero() {
            term
        } else {
            format!("{} + {term}", num(fixed))
        };
        Ok((amount, Some(formula)))
    }

    fn inspection_label(&self) -> &'static str {
        self.request.inspection_type.label_zh()
    }

    /// Step 1: the lines of the inspection type's method.
    fn price_inspection(&mut self) -> Result<Vec<FeeLine>, ParseError> {
        let kind = self.request.inspection_type;
        let methods = self.tariff.methods_for(self.rule, kind);
        if methods.is_empty() {
            return Err(error(
                "inspection_not_priced",
                format!("{}没有{}的收费标准", self.rule.name, kind.label_zh()),
            ));
        }
        let candidates: Vec<&Method> = match &self.request.scheme {
            Some(scheme) => {
                let chosen: Vec<&Method> = methods
                    .iter()
                    .filter(|m| m.scheme.as_deref() == Some(scheme.as_str()))
                    .collect();
                if chosen.is_empty() {
                    let offered: Vec<String> = methods
                        .iter()
                        .filter_map(|m| {
                            Some(format!(
                                "{}（{}）",
                                m.scheme_name.as_ref()?,
                                m.scheme.as_ref()?
                            ))
                        })
                        .collect();
                    let hint = if offered.is_empty() {
                        "没有可选的收费方式".to_owned()
                    } else {
                        format!("可选：{}", offered.join("、"))
                    };
                    return Err(error(
                        "unknown_scheme",
                        format!("{}没有收费方式 {scheme}（{hint}）", kind.label_zh()),
                    ));
                }
                chosen
            }
            None => methods.iter().collect(),
        };
        let mut reasons = Vec::new();
        for method in candidates {
            let outcome = match method.method {
                MethodKind::Periodic => {
                    self.periodic(method.factor.unwrap_or(Decimal::ONE), None)?
                }
                MethodKind::Percent => self.percent(method)?,
            };
            match outcome {
                Ok(lines) => return Ok(lines),
                Err(reason) => reasons.push(reason),
            }
        }
        let (code, what) = if self.request.scheme.is_some() {
            ("scheme_not_applicable", "所选收费方式不适用")
        } else {
            ("inspection_not_priced", "没有适用的收费标准")
        };
        Err(error(
            code,
            format!("{}{}：{}", kind.label_zh(), what, reasons.join("；")),
        ))
    }

    /// The periodic fee, times `factor`; `fallback` explains why (no price given).
    fn periodic(
        &mut self,
        factor: Decimal,
        fallback: Option<String>,
    ) -> Result<Result<Vec<FeeLine>, NotApplicable>, ParseError> {
        let rule = self.rule;
        let Some(base) = &rule.base else {
            return Ok(Err(format!("{}没有基本检验费", rule.name)));
        };
        let look = self.lookup(&base.bands, base.measure)?;
        let Some(band) = base.bands.get(look.index) else {
            return Err(invalid_tariff("缺少分档"));
        };
        if band.is_unpriced() {
            return Ok(Err(format!("{} 档没有{}收费标准", look.range, base.name)));
        }
        let (mut amount, formula) = self.band_amount(band, base.measure, &look.range)?;
        let mut basis = Vec::new();
        if self.request.inspection_type != InspectionType::Periodic {
            basis.push("按定期检验收费标准计".to_owned());
        }
        if let Some(described) = Self::describe(&look, base.measure) {
            basis.push(described);
        }
        match formula {
            Some(formula) => basis.push(formula),
            None if base.measure.is_none() => {
                basis.push(format!("{} 元/{}", num(amount), base.unit));
            }
            None => {}
        }
        if let Some(minimum) = base.minimum
            && amount < minimum
        {
            amount = minimum;
            basis.push(format!("不足 {0} 元按 {0} 元计", num(minimum)));
        }
        if look.fallback {
            self.assumptions.push(format!(
                "未提供{}，{}按最低档（{}）计",
                base.measure.map_or("", Measure::label_zh),
                base.name,
                look.range
            ));
        }
        let base_amount = round(amount)?;
        let mut lines = vec![FeeLine {
            kind: LineKind::Base,
            item: base.name.clone(),
            basis: basis.join("，"),
            amount: base_amount,
        }];
        for surcharge in &rule.surcharges {
            let variety = self.request.variety;
            if !surcharge.varieties.is_empty()
                && !surcharge
                    .varieties
                    .iter()
                    .any(|code| is_under(variety, *code))
            {
                continue;
            }
            let Some(value) = self.value(surcharge.measure) else {
                self.assumptions.push(format!(
                    "未提供{}，未计{}",
                    surcharge.measure.label_zh(),
                    surcharge.name
                ));
                continue;
            };
            if value <= surcharge.over || surcharge.step <= Decimal::ZERO {
                continue;
            }
            let mut steps = value
                .checked_sub(surcharge.over)
                .and_then(|excess| excess.checked_div(surcharge.step))
                .ok_or_else(out_of_range)?
                .ceil();
            let mut capped = String::new();
            if let Some(max) = surcharge.max_steps {
                let max = Decimal::from(max);
                if steps > max {
                    steps = max;
                    capped = format!("（最多计 {} 档）", num(max));
                }
            }
            if steps.is_zero() {
                continue;
            }
            let measure = surcharge.measure;
            let unit = measure.unit();
            let per_step = if surcharge.step == Decimal::ONE {
                format!("每{unit}")
            } else {
                format!(
                    "每 {} {unit}（不足按 {} {unit} 计）",
                    num(surcharge.step),
                    num(surcharge.step)
                )
            };
            // 超过 6 层的部分 / 超过 6 m 的部分: a space only after a Latin unit.
            let gap = if unit.is_ascii() { " " } else { "" };
            let head = format!(
                "{} {}，超过 {} {unit}{gap}的部分{per_step}",
                measure.label_zh(),
                measure.show(value),
                num(surcharge.over)
            );
            let (amount, basis) = match (surcharge.amount, surcharge.percent) {
                (Some(each), _) => (
                    mul(each, steps)?,
                    format!(
                        "{head}加收 {} 元：{} × {}{capped}",
                        num(each),
                        num(steps),
                        num(each)
                    ),
                ),
                (None, Some(percent)) => (
                    mul(percent_of(base_amount.as_decimal(), percent)?, steps)?,
                    format!(
                        "{head}加收基本检验费的 {}%：{} 元 × {}% × {}{capped}",
                        num(percent),
                        base_amount,
                        num(percent),
                        num(steps)
                    ),
                ),
                (None, None) => continue,
            };
            lines.push(FeeLine {
                kind: LineKind::Surcharge,
                item: surcharge.name.clone(),
                basis,
                amount: round(amount)?,
            });
        }
        let mut subtotal = sum(&lines)?;
        for multiplier in &rule.multipliers {
            if multiplier.factor <= Decimal::ONE || !self.matches(multiplier) {
                continue;
            }
            let percent = extra_percent(multiplier.factor)?;
            let amount = round(percent_of(subtotal.as_decimal(), percent)?)?;
            lines.push(FeeLine {
                kind: LineKind::Multiplier,
                item: format!("{}（×{}）", multiplier.name, num(multiplier.factor)),
                basis: format!("小计 {subtotal} 元 × {}%", num(percent)),
                amount,
            });
            subtotal = subtotal.checked_add(amount).ok_or_else(out_of_range)?;
        }
        if factor > Decimal::ONE {
            let percent = extra_percent(factor)?;
            let whole = mul(factor, Decimal::ONE_HUNDRED)?;
            let mut basis = format!("定期检验费 {subtotal} 元 × {}%", num(percent));
            if let Some(why) = fallback {
                basis = format!("{why}，按定期检验费的 {}% 估算：{basis}", num(whole));
            }
            lines.push(FeeLine {
                kind: LineKind::Inspection,
                item: format!(
                    "{}（按定期检验费的 {}% 计）",
                    self.inspection_label(),
                    num(whole)
                ),
                basis,
                amount: round(percent_of(subtotal.as_decimal(), percent)?)?,
            });
        }
        Ok(Ok(lines))
    }

    /// A percentage of a price, or the fallback when the price is missing.
    fn percent(
        &mut self,
        method: &Method,
    ) -> Result<Result<Vec<FeeLine>, NotApplicable>, ParseError> {
        let of = method
            .of
            .ok_or_else(|| invalid_tariff("按比例计费缺少 of"))?;
        let name = match &method.scheme_name {
            Some(scheme) => format!("{}（{scheme}）", self.inspection_label()),
            None => self.inspection_label().to_owned(),
        };
        let measure = self.rule.base.as_ref().and_then(|base| base.measure);
        let (percent, described) = if method.bands.is_empty() {
            let percent = method
                .percent
                .ok_or_else(|| invalid_tariff("按比例计费缺少 percent"))?;
            (percent, None)
        } else {
            let look = self.lookup(&method.bands, measure)?;
            let Some(percent) = method.bands.get(look.index).and_then(|band| band.percent) else {
                return Ok(Err(format!("{} 档没有{name}收费标准", look.range)));
            };
            if look.fallback {
                self.assumptions.push(format!(
                    "未提供{}，{name}按最低档（{}）计",
                    measure.map_or("", Measure::label_zh),
                    look.range
                ));
            }
            (percent, Self::describe(&look, measure))
        };
        match self.request.price(of) {
            Some(price) => {
                let mut basis = format!("{} {price} 元 × {}%", of.label_zh(), num(percent));
                if let Some(described) = described {
                    basis = format!("{basis}（{described}）");
                }
                Ok(Ok(vec![FeeLine {
                    kind: LineKind::Percent,
                    item: name,
                    basis,
                    amount: round(percent_of(price.as_decimal(), percent)?)?,
                }]))
            }
            None => match method.otherwise_factor {
                Some(factor) => {
                    let whole = mul(factor, Decimal::ONE_HUNDRED)?;
                    self.assumptions.push(format!(
                        "未提供{}，{name}按定期检验费的 {}% 估算（提供{}后按其 {}% 计）",
                        of.label_zh(),
                        num(whole),
                        of.label_zh(),
                        num(percent)
                    ));
                    self.periodic(factor, Some(format!("未提供{}", of.label_zh())))
                }
                None => Err(error(
                    "missing_price",
                    format!(
                        "{name}按{}的 {}% 计收，请填写{}",
                        of.label_zh(),
                        num(percent),
                        of.label_zh()
                    ),
                )),
            },
        }
    }

    fn matches(&self, multiplier: &Multiplier) -> bool {
        multiplier
            .varieties
            .iter()
            .any(|code| is_under(self.request.variety, *code))
            || multiplier.params.iter().any(|(key, expected)| {
                self.facts
                    .get(key)
                    .is_some_and(|actual| value_matches(expected, actual))
            })
    }

    fn is_imported(&self) -> bool {
        self.request.imported
            || matches!(&self.params, EquipmentParams::AmusementRide(p) if p.imported == Some(true))
    }

    /// Step 2: the surcharge for imported equipment.
    fn imported(&mut self, lines: &mut Vec<FeeLine>) -> Result<(), ParseError> {
        if !self.is_imported() {
            return Ok(());
        }
        match self.rule.imported_percent {
            Some(percent) if percent > Decimal::ZERO => {
                let subtotal = sum(lines)?;
                lines.push(FeeLine {
                    kind: LineKind::Imported,
                    item: format!("整机进口加收 {}%", num(percent)),
                    basis: format!("以上合计 {subtotal} 元 × {}%", num(percent)),
                    amount: round(percent_of(subtotal.as_decimal(), percent)?)?,
                });
            }
            _ => self
                .assumptions
                .push(format!("{}整机进口不另加收", self.rule.name)),
        }
        Ok(())
    }

    /// Step 3: the optional items.
    fn options(&mut self, lines: &mut Vec<FeeLine>) -> Result<(), ParseError> {
        for option in &self.request.options {
            let Some(item) = self.rule.options.iter().find(|item| item.key == option.key) else {
                let offered: Vec<String> = self
                    .rule
                    .options
                    .iter()
                    .map(|item| format!("{}（{}）", item.name, item.key))
                    .collect();
                let hint = if offered.is_empty() {
                    "没有可选项目".to_owned()
                } else {
                    format!("可选：{}", offered.join("、"))
                };
                return Err(error(
                    "unknown_fee_option",
                    format!("{}没有可选项目 {}（{hint}）", self.rule.name, option.key),
                ));
            };
            let look = self.lookup(&item.bands, item.measure)?;
            let Some(band) = item.bands.get(look.index) else {
                return Err(invalid_tariff("缺少分档"));
            };
            if band.is_unpriced() {
                return Err(error(
                    "option_not_priced",
                    format!("{} 档没有{}的收费标准", look.range, item.name),
                ));
            }
            let (unit_price, formula) = self.band_amount(band, item.measure, &look.range)?;
            if look.fallback {
                self.assumptions.push(format!(
                    "未提供{}，{}按最低档（{}）计",
                    item.measure.map_or("", Measure::label_zh),
                    item.name,
                    look.range
                ));
            }
            let quantity = Decimal::from(option.quantity);
            let mut basis: Vec<String> = Self::describe(&look, item.measure).into_iter().collect();
            basis.extend(formula);
            basis.push(format!(
                "{} 元/{} × {} {}",
                num(unit_price),
                item.unit,
                option.quantity,
                item.unit
            ));
            lines.push(FeeLine {
                kind: LineKind::Option,
                item: item.name.clone(),
                basis: basis.join("，"),
                amount: round(mul(unit_price, quantity)?)?,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::equipment::params::{ParamField, ParamKind};
    use crate::fee::{FeeOption, PriceKind, TariffBook};
    use proptest::prelude::*;
    use serde_json::json;
    use time::macros::date;

    fn tariff() -> &'static Tariff {
        TariffBook::bundled()
            .unwrap()
            .select("330502", date!(2026 - 03 - 01))
            .unwrap()
    }

    fn request(variety: &str, kind: InspectionType, params: Value) -> FeeRequest {
        FeeRequest::new(
            CatalogueCode::parse(variety).unwrap(),
            kind,
            EquipmentParams::parse(variety, &params).unwrap(),
        )
    }

    fn periodic(variety: &str, params: Value) -> FeeRequest {
        request(variety, InspectionType::Periodic, params)
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn total(request: &FeeRequest) -> String {
        estimate(tariff(), request).unwrap().total.to_string()
    }

    fn code(request: &FeeRequest) -> &'static str {
        estimate(tariff(), request).unwrap_err().code()
    }

    #[test]
    fn the_zhejiang_boiler_table() {
        for (t_h, expected) in [
            ("0.3", "160.00"),
            ("0.5", "160.00"),
            ("0.51", "250.00"),
            ("2", "250.00"),
            ("4", "350.00"),
            ("6", "550.00"),
            ("10", "550.00"),
            ("20", "1200.00"),
            ("35", "2100.00"),
            ("50", "4000.00"),
            ("130", "10400.00"),
            ("12.5", "750.00"),
        ] {
            let r = periodic("1100", json!({ "rated_evaporation_t_h": t_h }));
            assert_eq!(total(&r), expected, "{t_h} t/h");
        }
        let e = estimate(
            tariff(),
            &periodic("1100", json!({ "rated_evaporation_t_h": 4 })),
        )
        .unwrap();
        assert_eq!(e.lines.len(), 1);
        assert_eq!(e.lines[0].item, "停炉内外部宏观检验");
        assert_eq!(e.lines[0].basis, "额定蒸发量 4 t/h，2 < D ≤ 4 档");
        assert_eq!(e.label, "参考费用");
        assert_eq!(e.note, "本费用仅为参考值，实际费用以缴款通知书为准");
        assert!(e.assumptions.is_empty());
        let e = estimate(
            tariff(),
            &periodic("1100", json!({ "rated_evaporation_t_h": 20 })),
        )
        .unwrap();
        assert_eq!(
            e.lines[0].basis,
            "额定蒸发量 20 t/h，10 < D ≤ 35 档，60 × 20"
        );
    }

    #[test]
    fn hot_water_boilers_convert_at_0_7_mw() {
        let r = periodic(
            "1200",
            json!({ "rated_power_mw": "2.8", "medium": "hot_water" }),
        );
        assert_eq!(total(&r), "350.00");
        let r = periodic("1320", json!({ "rated_power_mw": "14" }));
        assert_eq!(total(&r), "1200.00");
    }

    #[test]
    fn big_boilers_need_the_generating_power() {
        let mut r = periodic("1100", json!({ "rated_evaporation_t_h": 220 }));
        assert_eq!(code(&r), "missing_parameter");
        let message = estimate(tariff(), &r).unwrap_err().to_string();
        assert!(message.contains("额定发电功率"), "{message}");
        r.measures
            .insert(Measure::GeneratingPowerKw, Decimal::from(50_000));
        assert_eq!(total(&r), "15000.00");
    }

    #[test]
    fn a_missing_parameter_takes_the_lowest_band() {
        let e = estimate(tariff(), &periodic("1100", json!({}))).unwrap();
        assert_eq!(e.total, money("160"));
        assert_eq!(e.lines[0].basis, "未提供额定蒸发量，按最低档（D ≤ 0.5）计");
        assert_eq!(e.assumptions.len(), 1);
        // An elevator without floors: no floor surcharge, and it says so.
        let e = estimate(tariff(), &periodic("3110", json!({}))).unwrap();
        assert_eq!(e.total, money("380"));
        assert!(
            e.assumptions.iter().any(|a| a.contains("层站数")),
            "{:?}",
            e.assumptions
        );
        // A ride without a class: class C.
        let e = estimate(tariff(), &periodic("6200", json!({}))).unwrap();
        assert_eq!(e.total, money("1000"));
        // Per-unit prices cannot assume anything.
        assert_eq!(
            code(&periodic("8310", json!({ "dn": 100 }))),
            "missing_parameter"
        );
        assert_eq!(code(&periodic("4D00", json!({}))), "missing_parameter");
    }

    #[test]
    fn small_steam_boilers_by_water_volume() {
        let mut r = periodic("1100", json!({}));
        r.subtype = Some("small_steam".to_owned());
        assert_eq!(code(&r), "missing_parameter");
        r.measures.insert(Measure::WaterVolumeL, Decimal::from(40));
        r.options = vec![FeeOption::new("auxiliary_inspection", 1)];
        let e = estimate(tariff(), &r).unwrap();
        assert_eq!(e.total, money("50"));
        assert_eq!(e.rule, "小型蒸汽锅炉");
        r.subtype = Some("tiny".to_owned());
        assert_eq!(code(&r), "unknown_subtype");
    }

    #[test]
    fn boiler_supervision_by_price_or_by_periodic_fee() {
        let mut r = request(
            "1100",
            InspectionType::Installation,
            json!({ "rated_evaporation_t_h": 4 }),
        );
        // No price: 150 % of the periodic fee, with a line and an assumption saying so.
        let e = estimate(tariff(), &r).unwrap();
        assert_eq!(e.total, money("525"));
        assert_eq!(e.lines.len(), 2);
        assert!(
            e.lines[1].basis.starts_with("未提供出厂价"),
            "{}",
            e.lines[1].basis
        );
        assert_eq!(e.assumptions.len(), 1);
        r.ex_works_price = Some(money("1000000"));
        let e = estimate(tariff(), &r).unwrap();
        assert_eq!(e.total, money("4000"));
        assert_eq!(e.lines[0].item, "安装监检（常规监检）");
        assert_eq!(
            e.lines[0].basis,
            "出厂价 1000000.00 元 × 0.4%（额定蒸发量 4 t/h，2 < D ≤ 4 档）"
        );
        r.scheme = Some("full_process".to_owned());
        assert_eq!(total(&r), "10000.00");
        r.scheme = Some("everything".to_owned());
        assert_eq!(code(&r), "unknown_scheme");
        // Above 35 t/h only full-process supervision is priced: it is taken by itself.
        let mut r = request(
            "1100",
            InspectionType::Installation,
            json!({ "rated_evaporation_t_h": 50 }),
        );
        r.ex_works_price = Some(money("2000000"));
        assert_eq!(total(&r), "16000.00");
        r.scheme = Some("routine".to_owned());
        assert_eq!(code(&r), "scheme_not_applicable");
        // And below 2 t/h only routine supervision.
        let mut r = request(
            "1100",
            InspectionType::Installation,
            json!({ "rated_evaporation_t_h": 1 }),
        );
        r.ex_works_price = Some(money("300000"));
        r.scheme = Some("full_process".to_owned());
        assert_eq!(code(&r), "scheme_not_applicable");
        r.scheme = None;
        assert_eq!(total(&r), "1200.00");
        // 改造: 3 % of the works cost.
        let mut r = request(
            "1100",
            InspectionType::Modification,
            json!({ "rated_evaporation_t_h": 4 }),
        );
        r.works_cost = Some(money("200000"));
        assert_eq!(total(&r), "6000.00");
        assert_eq!(r.price(PriceKind::WorksCost), Some(money("200000")));
    }

    #[test]
    fn boiler_options() {
        let mut r = periodic("1100", json!({ "rated_evaporation_t_h": 50 }));
        r.options = vec![
            FeeOption::new("auxiliary_inspection", 1),
            FeeOption::new("strength_check", 2),
        ];
        let e = estimate(tariff(), &r).unwrap();
        assert_eq!(e.total, money("5760"));
        assert_eq!(e.lines[1].amount, money("360"));
        assert_eq!(e.lines[2].amount, money("1400"));
        // The auxiliary inspection of a boiler above 130 t/h has no price (?) in the table.
        let mut r = periodic("1100", json!({ "rated_evaporation_t_h": 200 }));
        r.measures
            .insert(Measure::GeneratingPowerKw, Decimal::from(1000));
        r.options = vec![FeeOption::new("auxiliary_inspection", 1)];
        assert_eq!(code(&r), "option_not_priced");
        r.options = vec![FeeOption::new("governor_check", 1)];
        assert_eq!(code(&r), "unknown_fee_option");
    }

    #[test]
    fn elevators() {
        assert_eq!(total(&periodic("3110", json!({ "floors": 6 }))), "380.00");
        let e = estimate(tariff(), &periodic("3110", json!({ "floors": 10 }))).unwrap();
        assert_eq!(e.total, money("480"));
        assert_eq!(e.lines[1].item, "层站附加费");
        assert_eq!(e.lines[1].amount, money("100"));
        // Supervision: 150 % of the periodic fee.
        let r = request(
            "3110",
            InspectionType::Installation,
            json!({ "floors": 10 }),
        );
        let e = estimate(tariff(), &r).unwrap();
        assert_eq!(e.total, money("720"));
        assert_eq!(e.lines.last().unwrap().kind, LineKind::Inspection);
        // Hydraulic ×1.5, explosion-proof ×1.2.
        assert_eq!(total(&periodic("3210", json!({ "floors": 8 }))), "645.00");
        assert_eq!(total(&periodic("3410", json!({ "floors": 5 }))), "456.00");
        // Heavy freight elevators: +5 % per tonne above 2 t.
        assert_eq!(
            total(&periodic(
                "3120",
                json!({ "floors": 6, "rated_load_kg": 3000 })
            )),
            "399.00"
        );
        assert_eq!(
            total(&periodic(
                "3120",
                json!({ "floors": 6, "rated_load_kg": 3001 })
            )),
            "418.00"
        );
        let mut r = periodic("3110", json!({ "floors": 6 }));
        r.options = vec![FeeOption::new("governor_check", 1)];
        assert_eq!(total(&r), "580.00");
        assert_eq!(total(&periodic("3430", json!({ "floors": 12 }))), "220.00");
    }

    #[test]
    fn escalators_and_moving_walks() {
        assert_eq!(total(&periodic("3310", json!({ "rise_m": 6 }))), "300.00");
        assert_eq!(
            total(&periodic("3310", json!({ "rise_m": "7.5" }))),
            "330.00"
        );
        assert_eq!(total(&periodic("3310", json!({ "rise_m": 8 }))), "330.00");
        assert_eq!(
            total(&periodic("3310", json!({ "rise_m": "10.1" }))),
            "390.00"
        );
        assert_eq!(
            total(&periodic("3320", json!({ "length_m": 42 }))),
            "390.00"
        );
        assert_eq!(total(&periodic("3300", json!({ "rise_m": 9 }))), "360.00");
    }

    #[test]
    fn cranes_imported_and_special() {
        let r = periodic("4110", json!({ "rated_capacity_t": 16 }));
        assert_eq!(total(&r), "600.00");
        let mut imported = r.clone();
        imported.imported = true;
        let e = estimate(tariff(), &imported).unwrap();
        assert_eq!(e.total, money("720"));
        assert_eq!(e.lines[1].item, "整机进口加收 20%");
        let r = request(
            "4110",
            InspectionType::Installation,
            json!({ "rated_capacity_t": 16 }),
        );
        assert_eq!(total(&r), "900.00");
        // 冶金桥式: molten metal ×1.2 unless the parameter says otherwise.
        assert_eq!(
            total(&periodic("4150", json!({ "rated_capacity_t": 16 }))),
            "720.00"
        );
        assert_eq!(
            total(&periodic(
                "4150",
                json!({ "rated_capacity_t": 16, "lifts_molten_metal": false })
            )),
            "600.00"
        );
        assert_eq!(
            total(&periodic("4130", json!({ "rated_capacity_t": 5 }))),
            "480.00"
        );
        assert_eq!(
            total(&periodic("4D00", json!({ "parking_spaces": 30 }))),
            "600.00"
        );
        assert_eq!(
            total(&periodic("4D00", json!({ "parking_spaces": 5 }))),
            "400.00"
        );
        assert_eq!(
            total(&periodic("4310", json!({ "rated_capacity_t": 8 }))),
            "1000.00"
        );
    }

    #[test]
    fn rides_vessels_pipelines_and_the_rest() {
        let mut r = periodic("6200", json!({ "class": "A" }));
        assert_eq!(total(&r), "4000.00");
        r.imported = true;
        assert_eq!(total(&r), "6000.00");
        // The ride's own imported flag counts too.
        assert_eq!(
            total(&periodic("6100", json!({ "class": "b", "imported": true }))),
            "3000.00"
        );
        // Vessels: volume band × class.
        assert_eq!(
            total(&periodic("2150", json!({ "volume_m3": "12.3" }))),
            "960.00"
        );
        assert_eq!(
            total(&periodic("2170", json!({ "volume_m3": "12.3" }))),
            "800.00"
        );
        assert_eq!(
            total(&periodic(
                "2100",
                json!({ "volume_m3": 5, "vessel_class": "iii" })
            )),
            "600.00"
        );
        // The variety's class wins over a contradicting parameter: never both factors.
        assert_eq!(
            total(&periodic(
                "2150",
                json!({ "volume_m3": 5, "vessel_class": "iii" })
            )),
            "480.00"
        );
        let mut r = periodic("2150", json!({ "volume_m3": 5 }));
        r.options = vec![
            FeeOption::new("thickness_point", 10),
            FeeOption::new("safety_valve", 2),
        ];
        assert_eq!(total(&r), "690.00");
        assert_eq!(
            code(&request("2150", InspectionType::Annual, json!({}))),
            "inspection_not_priced"
        );
        assert_eq!(
            total(&periodic("8310", json!({ "dn": 150, "length_m": 200 }))),
            "800.00"
        );
        assert_eq!(
            total(&periodic("8310", json!({ "dn": 50, "length_m": 100 }))),
            "500.00"
        );
        assert_eq!(total(&periodic("5110", json!({}))), "300.00");
        assert_eq!(total(&periodic("5200", json!({ "seats": 14 }))), "400.00");
        assert_eq!(total(&periodic("9110", json!({}))), "8000.00");
        assert_eq!(
            total(&periodic("R310", json!({ "volume_m3": 30 }))),
            "500.00"
        );
        assert_eq!(total(&periodic("7310", json!({}))), "80.00");
        // Pipeline components: only a percentage of the price, on request.
        assert_eq!(code(&periodic("7110", json!({}))), "inspection_not_priced");
        let mut r = request("7110", InspectionType::Commissioned, json!({}));
        assert_eq!(code(&r), "missing_price");
        r.ex_works_price = Some(money("12345.67"));
        assert_eq!(total(&r), "61.73");
    }

    #[test]
    fn bad_requests() {
        let mut r = periodic("1100", json!({ "rated_evaporation_t_h": 4 }));
        r.measures.insert(Measure::Floors, Decimal::from(3));
        assert_eq!(code(&r), "not_a_supplementary_measure");
        let mut r = periodic("1100", json!({}));
        r.measures.insert(Measure::WaterVolumeL, Decimal::ZERO);
        assert_eq!(code(&r), "invalid_measure");
        let mut r = periodic("3110", json!({}));
        r.options = vec![FeeOption::new("governor_check", 0)];
        assert_eq!(code(&r), "invalid_quantity");
        r.options = vec![
            FeeOption::new("governor_check", 1),
            FeeOption::new("governor_check", 1),
        ];
        assert_eq!(code(&r), "duplicate_fee_option");
        let mut r = request("1100", InspectionType::Installation, json!({}));
        r.ex_works_price = Some(money("-1"));
        assert_eq!(code(&r), "invalid_price");
        // Parameters of another category.
        let mut r = periodic("3110", json!({ "floors": 3 }));
        r.params = EquipmentParams::parse("1100", &json!({ "rated_evaporation_t_h": 4 })).unwrap();
        assert_eq!(code(&r), "invalid_parameters");
        assert_eq!(
            code(&periodic("1100", json!({ "rated_evaporation_t_h": 4000 }))),
            "missing_parameter"
        );
    }

    #[test]
    fn the_request_travels_as_json() {
        let json = json!({
            "variety": "3110", "params": { "floors": 10 },
            "options": [{ "key": "governor_check" }]
        });
        let r: FeeRequest = serde_json::from_value(json).unwrap();
        assert_eq!(r.inspection_type, InspectionType::Periodic);
        assert_eq!(r.options[0].quantity, 1);
        assert_eq!(total(&r), "680.00");
        let back: FeeRequest = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        let bad = json!({ "variety": "3110", "params": { "floors": 1 } });
        let err = serde_json::from_value::<FeeRequest>(bad).unwrap_err();
        assert!(err.to_string().contains("层站数"), "{err}");
        let typo = json!({ "variety": "3110", "flors": 3 });
        assert!(serde_json::from_value::<FeeRequest>(typo).is_err());
        let e = estimate(tariff(), &r).unwrap();
        let text = serde_json::to_value(&e).unwrap();
        assert_eq!(text["total"], "680.00");
        assert_eq!(text["lines"][0]["kind"], "base");
        assert_eq!(text["inspection_type"], "periodic");
        let back: FeeEstimate = serde_json::from_value(text).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn line_kinds_match_serde() {
        for kind in LineKind::all() {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.as_str().parse::<LineKind>().unwrap(), *kind);
            assert!(!kind.label_zh().is_empty());
        }
    }

    #[test]
    fn every_category_prices_something() {
        for entry in catalogue::entries() {
            let variety = CatalogueCode::parse(entry.code).unwrap();
            let priced = InspectionType::all().iter().any(|kind| {
                let mut r = FeeRequest::new(
                    variety,
                    *kind,
                    EquipmentParams::parse(entry.code, &json!({})).unwrap(),
                );
                r.ex_works_price = Some(money("100000"));
                r.works_cost = Some(money("100000"));
                r.measures.insert(Measure::WaterVolumeL, Decimal::from(40));
                r.measures
                    .insert(Measure::GeneratingPowerKw, Decimal::from(1000));
                estimate(tariff(), &r).is_ok()
            });
            // Pipelines and parking need their size; the rest price with nothing at all.
            let needs_size = entry.code.starts_with('8') || entry.code == "4D00";
            assert!(priced || needs_size, "{} prices nothing", entry.code);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Properties
    // -----------------------------------------------------------------------------------------

    /// (variety, parameter key, lowest, highest, other parameters) for the main measure of each
    /// rule that bands on one.
    fn monotone_cases() -> Vec<(&'static str, &'static str, i64, i64, Value)> {
        vec![
            ("1100", "rated_evaporation_t_h", 0, 130, json!({})),
            ("1200", "rated_power_mw", 0, 91, json!({})),
            ("2150", "volume_m3", 0, 2_000, json!({})),
            (
                "2100",
                "volume_m3",
                0,
                2_000,
                json!({ "vessel_class": "ii" }),
            ),
            ("3110", "floors", 2, 200, json!({})),
            ("3210", "floors", 2, 200, json!({ "rated_load_kg": 2500 })),
            ("3120", "rated_load_kg", 50, 50_000, json!({ "floors": 9 })),
            ("3310", "rise_m", 0, 100, json!({})),
            ("3320", "length_m", 0, 1_000, json!({})),
            ("4110", "rated_capacity_t", 0, 1_000, json!({})),
            ("4150", "rated_capacity_t", 0, 1_000, json!({})),
            ("4310", "rated_capacity_t", 0, 100, json!({})),
            ("4410", "rated_capacity_t", 0, 500, json!({})),
            ("4710", "rated_capacity_t", 0, 200, json!({})),
            ("4D00", "parking_spaces", 1, 10_000, json!({})),
            ("8310", "dn", 1, 1_000, json!({ "length_m": 250 })),
            ("8310", "length_m", 0, 100_000, json!({ "dn": 80 })),
            ("R310", "volume_m3", 0, 200, json!({})),
        ]
    }

    fn with(params: &Value, key: &str, value: Decimal) -> Value {
        let mut params = params.clone();
        params[key] = Value::String(value.to_string());
        params
    }

    fn json_leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-10i64..100_000).prop_map(|n| json!(n)),
            "[0-9]{1,6}(\\.[0-9]{1,3})?".prop_map(Value::String),
            prop::sample::select(vec!["A", "B", "C", "iii", "GC1", "hot_water", "electric"])
                .prop_map(|s| Value::String(s.to_owned())),
        ]
    }

    fn money_strategy() -> impl Strategy<Value = Option<Money>> {
        prop_oneof![
            3 => Just(None),
            6 => (0i64..10_000_000_000).prop_map(|fen| Some(Money::from_fen(fen))),
            1 => any::<i64>().prop_map(|fen| Some(Money::from_fen(fen))),
        ]
    }

    /// A value for one parameter, mostly of the right kind and often in range.
    fn field_value(field: &'static ParamField) -> BoxedStrategy<Option<(String, Value)>> {
        let key = field.key.to_owned();
        let value: BoxedStrategy<Value> = match field.kind {
            ParamKind::Decimal => prop_oneof![
                8 => "[1-9][0-9]{0,2}(\\.[0-9]{1,2})?".prop_map(Value::String),
                1 => "[0-9]{1,5}(\\.[0-9]{1,3})?".prop_map(Value::String),
                1 => (0u32..200).prop_map(|n| json!(n)),
            ]
            .boxed(),
            ParamKind::Integer => prop_oneof![
                4 => (1i64..5).prop_map(|n| json!(n)),
                4 => (2i64..200).prop_map(|n| json!(n)),
                1 => (0i64..100_000).prop_map(|n| json!(n)),
            ]
            .boxed(),
            ParamKind::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
            ParamKind::Choice => {
                let names: Vec<&'static str> =
                    field.choices.iter().map(|(name, _)| *name).collect();
                prop::sample::select(names)
                    .prop_map(|n| Value::String(n.to_owned()))
                    .boxed()
            }
        };
        prop::option::weighted(0.5, value.prop_map(move |v| (key.clone(), v))).boxed()
    }

    fn params_for(variety: &'static str) -> BoxedStrategy<Value> {
        let fields: Vec<BoxedStrategy<Option<(String, Value)>>> =
            EquipmentParams::fields_for(variety)
                .iter()
                .map(field_value)
                .collect();
        fields
            .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
            .boxed()
    }

    fn options_for(variety: &'static str) -> BoxedStrategy<Vec<FeeOption>> {
        let keys: Vec<String> = CatalogueCode::parse(variety)
            .ok()
            .and_then(|code| tariff().rule_for(code, None))
            .map(|rule| rule.options.iter().map(|item| item.key.clone()).collect())
            .unwrap_or_default();
        let (key, count) = if keys.is_empty() {
            ("[a-z_]{0,6}".boxed(), 0..1)
        } else {
            let key = prop_oneof![9 => prop::sample::select(keys), 1 => "[a-z_]{0,6}"];
            (key.boxed(), 0..3)
        };
        let quantity = prop_oneof![9 => 1u32..100, 1 => 0u32..200_000];
        prop::collection::vec((key, quantity), count)
            .prop_map(|items| {
                let mut seen = BTreeSet::new();
                items
                    .into_iter()
                    .filter(|(key, _)| seen.insert(key.clone()))
                    .map(|(key, quantity)| FeeOption { key, quantity })
                    .collect()
            })
            .boxed()
    }

    /// Any request, mostly well-formed: the parameters of its variety, the tariff's options.
    fn any_request() -> impl Strategy<Value = Option<FeeRequest>> {
        let varieties: Vec<&'static str> = catalogue::entries().iter().map(|e| e.code).collect();
        prop::sample::select(varieties).prop_flat_map(|variety| {
            let prices = (money_strategy(), money_strategy());
            let supplements = (
                prop::option::weighted(0.5, 1i64..100_000),
                prop::option::weighted(0.5, 1i64..10_000_000),
            );
            let choices = (
                prop::option::weighted(0.05, prop::sample::select(vec!["small_steam", "x"])),
                prop::option::weighted(
                    0.05,
                    prop::sample::select(vec!["routine", "full_process", "y"]),
                ),
            );
            (
                params_for(variety),
                prop::sample::select(InspectionType::all().to_vec()),
                choices,
                any::<bool>(),
                supplements,
                prices,
                options_for(variety),
            )
                .prop_map(
                    move |(
                        params,
                        kind,
                        (subtype, scheme),
                        imported,
                        (water, power),
                        (price, cost),
                        options,
                    )| {
                        let params = EquipmentParams::parse(variety, &params).ok()?;
                        let mut r =
                            FeeRequest::new(CatalogueCode::parse(variety).ok()?, kind, params);
                        r.subtype = subtype.map(str::to_owned);
                        r.scheme = scheme.map(str::to_owned);
                        r.imported = imported;
                        if let Some(water) = water {
                            r.measures
                                .insert(Measure::WaterVolumeL, Decimal::from(water));
                        }
                        if let Some(power) = power {
                            r.measures
                                .insert(Measure::GeneratingPowerKw, Decimal::from(power));
                        }
                        r.ex_works_price = price;
                        r.works_cost = cost;
                        r.options = options;
                        Some(r)
                    },
                )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn estimates_add_up_and_are_never_negative(request in any_request()) {
            let Some(request) = request else { return Ok(()) };
            if let Ok(e) = estimate(tariff(), &request) {
                let lines: i64 = e.lines.iter().map(|l| l.amount.to_fen()).sum();
                prop_assert_eq!(e.total.to_fen(), lines);
                prop_assert!(!e.total.is_negative());
                prop_assert!(!e.lines.is_empty());
                for line in &e.lines {
                    prop_assert!(!line.amount.is_negative(), "{:?}", line);
                    prop_assert!(!line.item.is_empty() && !line.basis.is_empty(), "{:?}", line);
                    // At most two decimals, exactly as the wire shows them.
                    let text = line.amount.to_string();
                    let (_, decimals) = text.split_once('.').unwrap();
                    prop_assert_eq!(decimals.len(), 2);
                    prop_assert_eq!(Money::parse(&text).unwrap(), line.amount);
                    prop_assert!(line.amount.as_decimal().scale() <= 2);
                }
                prop_assert_eq!(e.label.as_str(), "参考费用");
            }
        }

        #[test]
        fn the_fee_never_falls_as_the_main_parameter_grows(
            case in prop::sample::select(monotone_cases()),
            kind in prop::sample::select(vec![
                InspectionType::Periodic,
                InspectionType::Installation,
                InspectionType::First,
            ]),
            a in 0u32..1_000_000,
            b in 0u32..1_000_000,
            scale in 0u32..3,
        ) {
            let (variety, key, low, high, others) = case;
            let span = Decimal::from(high - low);
            let at = |x: u32| {
                let value = Decimal::from(low) + span * Decimal::from(x) / Decimal::from(1_000_000);
                value.round_dp(scale)
            };
            let (small, large) = if a <= b { (at(a), at(b)) } else { (at(b), at(a)) };
            let fee = |value: Decimal| {
                let params = EquipmentParams::parse(variety, &with(&others, key, value)).ok()?;
                let r = FeeRequest::new(CatalogueCode::parse(variety).ok()?, kind, params);
                estimate(tariff(), &r).ok().map(|e| e.total)
            };
            if let (Some(lower), Some(higher)) = (fee(small), fee(large)) {
                prop_assert!(lower <= higher, "{variety} {key}: {small} → {lower}, {large} → {higher}");
            }
        }

        #[test]
        fn ride_fees_rise_with_the_class(imported in any::<bool>()) {
            let mut last = Money::ZERO;
            for class in ["C", "B", "A"] {
                let mut r = periodic("6300", json!({ "class": class }));
                r.imported = imported;
                let fee = estimate(tariff(), &r).unwrap().total;
                prop_assert!(fee >= last);
                last = fee;
            }
        }

        #[test]
        fn wire_requests_never_panic(json in prop::collection::btree_map(
            prop::sample::select(vec![
                "variety", "subtype", "inspection_type", "params", "measures", "imported",
                "ex_works_price", "works_cost", "scheme", "options",
            ]).prop_map(str::to_owned),
            json_leaf(),
            0..6,
        )) {
            let value = Value::Object(json.into_iter().collect());
            if let Ok(r) = serde_json::from_value::<FeeRequest>(value) {
                let _ = estimate(tariff(), &r);
            }
        }
    }
}
