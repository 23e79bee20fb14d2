//! Counting a list's rows for its page envelope, up to a cap.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, QueryTrait, Select};
use tejian_contract::list::{COUNT_CAP, Total};

/// Counts the rows of `select` up to [`COUNT_CAP`] + 1: `SELECT COUNT(*) FROM (SELECT 1 … LIMIT
/// cap + 1)`. The database stops reading after the cap, so a staff list over a province costs a
/// few thousand index entries instead of a million rows; below the cap the count is exact.
pub async fn capped_count<E, C>(select: Select<E>, conn: &C) -> Result<Total, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut rows = select
        .select_only()
        .expr(Expr::cust("1"))
        .limit(COUNT_CAP + 1)
        .into_query();
    rows.clear_order_by();
    let count = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(rows, "capped")
        .to_owned();
    let statement = conn.get_database_backend().build(&count);
    let counted: i64 = match conn.query_one_raw(statement).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(Total::from_capped_count(
        u64::try_from(counted).unwrap_or(0),
    ))
}
