//! The list envelope and paging parameters shared by every list endpoint.

use serde::{Deserialize, Serialize};

/// Default page size.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page size a client may ask for.
pub const MAX_PER_PAGE: u32 = 200;
/// Lists count their rows up to this many; past it `total` stays at the cap and `total_capped`
/// is true. An exact count of a province's million rows costs more than the page itself, and no
/// one pages through 500 pages: past the cap, narrow the filters.
pub const COUNT_CAP: u64 = 10_000;
/// Largest page number a client may ask for (the spec says so too: `maximum: 1000000`).
pub const MAX_PAGE: u32 = 1_000_000;

/// 分页列表: one page of items plus the total count of the filtered list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// 本页条目。
    pub items: Vec<T>,
    /// 符合条件的总条数；`total_capped` 为 true 时是下限（计数到 10,000 条为止）。
    pub total: u64,
    /// 页码，从 1 开始。
    pub page: u32,
    /// 每页条数 (1–200)。
    pub per_page: u32,
    /// 条数超过 10,000 时为 true：`total` 为 10,000，实际更多（请缩小查询条件）。
    #[serde(default)]
    pub total_capped: bool,
}

/// 分页参数 `?page=&per_page=`. Missing values take the defaults; out-of-range values are
/// refused with `validation_failed`, never silently clamped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// 页码，从 1 开始，默认 1。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 1, maximum = 1000000, example = 1)
    )]
    pub page: Option<u32>,
    /// 每页条数，默认 20，最大 200。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200, example = 20))]
    pub per_page: Option<u32>,
}

/// Paging after the bounds check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

/// A list's row count: exact, or [`COUNT_CAP`] when counting stopped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub n: u64,
    pub capped: bool,
}

impl Total {
    pub fn exact(n: u64) -> Self {
        Self { n, capped: false }
    }

    /// From a count of at most `COUNT_CAP + 1` rows.
    pub fn from_capped_count(counted: u64) -> Self {
        if counted > COUNT_CAP {
            Self {
                n: COUNT_CAP,
                capped: true,
            }
        } else {
            Self::exact(counted)
        }
    }
}

/// Why a paging request was refused: the field and the Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingError {
    pub field: &'static str,
    pub detail: String,
}

impl PageQuery {
    /// Applies defaults and checks bounds (page ≥ 1, 1 ≤ per_page ≤ 200).
    pub fn resolve(self) -> Result<Paging, PagingError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 || page > MAX_PAGE {
            return Err(PagingError {
                field: "page",
                detail: format!("页码应在 1 到 {MAX_PAGE} 之间"),
            });
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(PagingError {
                field: "per_page",
                detail: format!("每页条数应在 1 到 {MAX_PER_PAGE} 之间"),
            });
        }
        Ok(Paging { page, per_page })
    }
}

impl Paging {
    /// Rows to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// Wraps a page of items with the exact count of the list.
    pub fn wrap<T>(self, items: Vec<T>, total: u64) -> Page<T> {
        self.wrap_counted(items, Total::exact(total))
    }

    /// Wraps a page of items with a count that may have stopped at [`COUNT_CAP`].
    pub fn wrap_counted<T>(self, items: Vec<T>, total: Total) -> Page<T> {
        Page {
            items,
            total: total.n,
            page: self.page,
            per_page: self.per_page,
            total_capped: total.capped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            PageQuery::default().resolve(),
            Ok(Paging {
                page: 1,
                per_page: 20
            })
        );
        let q = |page, per_page| PageQuery { page, per_page }.resolve();
        assert!(q(Some(0), None).is_err());
        assert!(q(Some(MAX_PAGE + 1), None).is_err());
        assert!(q(Some(MAX_PAGE), None).is_ok());
        assert!(q(None, Some(0)).is_err());
        assert!(q(None, Some(201)).is_err());
        assert_eq!(q(Some(3), Some(200)).map(Paging::offset), Ok(400));
    }

    #[test]
    fn counts_stop_at_the_cap() {
        assert_eq!(Total::from_capped_count(0), Total::exact(0));
        assert_eq!(Total::from_capped_count(COUNT_CAP), Total::exact(COUNT_CAP));
        let capped = Total::from_capped_count(COUNT_CAP + 1);
        assert_eq!((capped.n, capped.capped), (COUNT_CAP, true));
        let page = Paging {
            page: 1,
            per_page: 20,
        }
        .wrap_counted(vec![1], capped);
        assert!(page.total_capped);
        assert_eq!(page.total, COUNT_CAP);
    }
}
