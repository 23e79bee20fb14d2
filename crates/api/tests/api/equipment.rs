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
            staff.equipment_by_id(theirs.id).await.unwrap().id,
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
