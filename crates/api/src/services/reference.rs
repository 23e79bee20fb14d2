//! 基础数据: catalogue, districts, bureaus, offices.

use tejian_contract::reference::{Bureau, CatalogueEntry, District, Office};
use tejian_domain::catalogue::{self, Level};

use super::Services;
use crate::error::AppResult;
use crate::store::reference;

/// The whole catalogue, in catalogue order.
pub fn categories() -> Vec<CatalogueEntry> {
    catalogue::entries()
        .iter()
        .map(|e| CatalogueEntry {
            code: e.code.to_owned(),
            name: e.name.to_owned(),
            level: match e.level {
                Level::Category => "category",
                Level::Class => "class",
                Level::Variety => "variety",
            }
            .to_owned(),
            parent: e.parent.map(str::to_owned),
            in_catalogue: e.in_catalogue,
        })
        .collect()
}

impl Services {
    pub async fn districts(&self) -> AppResult<Vec<District>> {
        Ok(reference::districts(&self.db)
            .await?
            .into_iter()
            .map(|d| District {
                code: d.code,
                name: d.name,
                kind: d.kind,
                bureau_code: d.bureau_code,
            })
            .collect())
    }

    pub async fn bureaus(&self) -> AppResult<Vec<Bureau>> {
        Ok(reference::bureaus(&self.db)
            .await?
            .into_iter()
            .map(|b| Bureau {
                code: b.code,
                name: b.name,
                district_code: b.district_code,
                phone: b.phone,
            })
            .collect())
    }

    pub async fn offices(&self) -> AppResult<Vec<Office>> {
        Ok(reference::offices(&self.db)
            .await?
            .into_iter()
            .map(|o| Office {
                code: o.code,
                name: o.name,
                address: o.address,
                phone: o.phone,
                serves: o
                    .serves
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect())
    }
}
