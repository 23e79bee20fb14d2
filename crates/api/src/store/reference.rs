//! Reference data: districts, bureaus and offices, kept in step with the domain's configuration.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, Set};
use tejian_domain::region::Jurisdictions;

use super::entity::{bureau, district, office};

/// Writes the configured districts, bureaus and offices (insert or update; nothing is deleted, so
/// old rows that records still point to stay readable).
pub async fn sync<C: ConnectionTrait>(
    conn: &C,
    jurisdictions: &Jurisdictions,
) -> Result<(), DbErr> {
    for b in jurisdictions.bureaus() {
        bureau::Entity::insert(bureau::ActiveModel {
            code: Set(b.code.to_owned()),
            name: Set(b.name.to_owned()),
            district_code: Set(b.district_code.to_owned()),
            phone: Set(b.phone.map(str::to_owned)),
        })
        .on_conflict(
            OnConflict::column(bureau::Column::Code)
                .update_columns([
                    bureau::Column::Name,
                    bureau::Column::DistrictCode,
                    bureau::Column::Phone,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    for (order, d) in jurisdictions.districts().iter().enumerate() {
        let bureau_code = jurisdictions
            .bureau_for_district(d.code)
            .map(|b| b.code.to_owned());
        district::Entity::insert(district::ActiveModel {
            code: Set(d.code.to_owned()),
            name: Set(d.name.to_owned()),
            kind: Set(d.kind.as_str().to_owned()),
            bureau_code: Set(bureau_code),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
        })
        .on_conflict(
            OnConflict::column(district::Column::Code)
                .update_columns([
                    district::Column::Name,
                    district::Column::Kind,
                    district::Column::BureauCode,
                    district::Column::SortOrder,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    for (order, o) in tejian_domain::office::offices().iter().enumerate() {
        office::Entity::insert(office::ActiveModel {
            code: Set(o.code.to_owned()),
            name: Set(o.name.to_owned()),
            address: Set(o.address.to_owned()),
            phone: Set(o.phone.to_owned()),
            serves: Set(o.serves.join(",")),
            sort_order: Set(i32::try_from(order).unwrap_or(i32::MAX)),
        })
        .on_conflict(
            OnConflict::column(office::Column::Code)
                .update_columns([
                    office::Column::Name,
                    office::Column::Address,
                    office::Column::Phone,
                    office::Column::Serves,
                    office::Column::SortOrder,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

pub async fn districts<C: ConnectionTrait>(conn: &C) -> Result<Vec<district::Model>, DbErr> {
    district::Entity::find()
        .order_by_asc(district::Column::SortOrder)
        .all(conn)
        .await
}

pub async fn bureaus<C: ConnectionTrait>(conn: &C) -> Result<Vec<bureau::Model>, DbErr> {
    bureau::Entity::find()
        .order_by_asc(bureau::Column::Code)
        .all(conn)
        .await
}

pub async fn offices<C: ConnectionTrait>(conn: &C) -> Result<Vec<office::Model>, DbErr> {
    office::Entity::find()
        .order_by_asc(office::Column::SortOrder)
        .all(conn)
        .await
}
