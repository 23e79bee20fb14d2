//! 检验费用参考值 (manual 5.1.6–5.1.7): the same domain code the browser runs, over the
//! tariff in force today.

use serde_json::{Map, Value};
use tejian_domain::ParseError;
use tejian_domain::fee::{FeeEstimate, FeeRequest};
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;

use super::{Services, local_today};
use crate::error::{AppError, AppResult};
use crate::store::entity::equipment;

fn no_tariff() -> ParseError {
    ParseError::new(
        "no_tariff_in_force",
        "当前没有生效的收费标准，无法计算参考费用",
    )
}

impl Services {
    /// 计费: the estimate of one request under today's tariff.
    pub fn estimate_fee(&self, request: &Value) -> AppResult<FeeEstimate> {
        let request = FeeRequest::from_json(request)
            .map_err(|e| AppError::field("/", e.code(), e.to_string()))?;
        let tariff = self
            .tariffs
            .in_force(local_today())
            .ok_or_else(|| AppError::conflict(&no_tariff()))?;
        tariff
            .estimate(&request)
            .map_err(|e| AppError::field("/", e.code(), e.to_string()))
    }

    /// The fee request of one application item, as stored, and its estimate. The variety and
    /// inspection type come from the equipment and the item, never from the client; the
    /// parameters default to the register's, and the client may add what the 计费 dialog asks
    /// (imported, options, prices, supplementary measures, parameter corrections).
    pub(crate) fn estimate_item_fee(
        &self,
        eq: &equipment::Model,
        inspection_type: InspectionType,
        input: Option<&Value>,
    ) -> Result<(Value, Option<Money>), ParseError> {
        let client_gave_input = matches!(input, Some(Value::Object(_)));
        let mut object = match input {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(_) => {
                return Err(ParseError::new("invalid_fee_request", "计费参数应为对象"));
            }
        };
        object.insert("variety".to_owned(), Value::String(eq.variety_code.clone()));
        object.insert(
            "inspection_type".to_owned(),
            Value::String(inspection_type.as_str().to_owned()),
        );
        if !matches!(object.get("params"), Some(Value::Object(_))) {
            object.insert("params".to_owned(), eq.params.clone());
        }
        let value = Value::Object(object);
        let request = match FeeRequest::from_json(&value) {
            Ok(request) => request,
            Err(e) if client_gave_input => return Err(e),
            // The register's own parameters do not read as a fee request (legacy data): no
            // reference fee, but no reason to refuse the application.
            Err(e) => {
                tracing::info!(
                    equipment_id = eq.id,
                    code = e.code(),
                    "register params not priceable"
                );
                return Ok((value, None));
            }
        };
        let Some(tariff) = self.tariffs.in_force(local_today()) else {
            return Ok((value, None));
        };
        // A tariff that cannot price this unit (a parameter the register lacks, a value beyond
        // the table) leaves the reference fee empty; the institute sets the approved fee anyway,
        // so the application must not fail for it.
        let estimate = match tariff.estimate(&request) {
            Ok(estimate) => Some(estimate.total),
            Err(e) => {
                tracing::info!(equipment_id = eq.id, code = e.code(), "no reference fee");
                None
            }
        };
        Ok((serde_json::to_value(&request).unwrap_or(value), estimate))
    }
}
