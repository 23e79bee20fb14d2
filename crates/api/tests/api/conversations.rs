//! 交流互动: routing to the district's bureau, replies and states, forwarding, closing, isolation
//! between enterprises and between bureaus, attachments, validation and the SMS on a reply.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use tejian_api::store::entity::{
    app_user, audit_log, conversation, conversation_message, outbox_message,
};
use tejian_client::AuthedClient;
use tejian_contract::conversation::{
    CloseConversation, ConversationQuery, ForwardConversation, NewConversation, NewMessage,
};
use tejian_domain::conversation::{ConversationState, EntryKind, Party};

use crate::both;
use crate::helpers::TestApp;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn question(subject: &str, attachments: Vec<String>) -> NewConversation {
    NewConversation {
        subject: subject.to_owned(),
        content: "我单位 3 台电梯下月到期，能否安排在同一天检验？".to_owned(),
        attachment_ids: attachments,
    }
}

fn message(content: &str) -> NewMessage {
    NewMessage {
        content: content.to_owned(),
        attachment_ids: Vec::new(),
    }
}

fn forward_to(code: &str) -> ForwardConversation {
    ForwardConversation {
        bureau_code: code.to_owned(),
        note: None,
    }
}

/// A bureau user of 南浔区 (330503), made like demo-bureau.
async fn nanxun_bureau(app: &TestApp) -> AuthedClient {
    let template = app_user::Entity::find()
        .filter(app_user::Column::Username.eq("demo-bureau"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    app_user::ActiveModel {
        username: Set("nanxun-bureau".to_owned()),
        password_hash: Set(template.password_hash),
        display_name: Set("南浔分局 周科员".to_owned()),
        role: Set("bureau".to_owned()),
        enterprise_id: Set(None),
        district_code: Set(Some("330503".to_owned())),
        phone: Set(None),
        email: Set(None),
        must_change_password: Set(false),
        disabled: Set(false),
        password_changed_at: Set(None),
        last_login_at: Set(None),
        created_at: Set(template.created_at),
        updated_at: Set(template.updated_at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    app.login("nanxun-bureau").await
}

/// Everything a refused request must leave alone: the conversations, their threads, the audit
/// log and the outbox.
async fn snapshot(app: &TestApp) -> (Vec<conversation::Model>, u64, u64, u64) {
    (
        conversation::Entity::find().all(&app.db).await.unwrap(),
        conversation_message::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        audit_log::Entity::find().count(&app.db).await.unwrap(),
        outbox_message::Entity::find().count(&app.db).await.unwrap(),
    )
}

async fn sms_for(app: &TestApp, dedupe_prefix: &str) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::DedupeKey.starts_with(dedupe_prefix))
        .all(&app.db)
        .await
        .unwrap()
}

async fn routed_replied_and_notified(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let bureau = app.login("demo-bureau").await;
    let file = ent.upload_file("现场照片.pdf", PDF.to_vec()).await.unwrap();
    let started = ent
        .start_conversation(
            &question("  电梯检验时间咨询  ", vec![file.id.clone()]),
            None,
        )
        .await
        .unwrap();
    let c = &started.conversation;
    // 5.4.4: demo-ent-2's enterprise is in 吴兴区, so it goes to the 吴兴 bureau.
    assert_eq!(
        (c.bureau_code.as_str(), c.bureau_name.as_str()),
        ("wuxing", "湖州市市场监督管理局吴兴分局")
    );
    assert_eq!(c.subject, "电梯检验时间咨询");
    assert_eq!(
        (c.state, c.state_name.as_str(), c.last_party),
        (
            ConversationState::AwaitingReply,
            "待回复",
            Party::Enterprise
        )
    );
    assert_eq!(started.thread.len(), 1);
    assert_eq!(started.thread[0].attachments[0].id, file.id);
    assert_eq!(started.thread[0].author_name, "钱丽");

    // The bureau finds it in its queue, reads the attachment and replies.
    let queue = bureau
        .conversations(&ConversationQuery {
            state: Some(ConversationState::AwaitingReply),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(queue.items.iter().any(|x| x.id == c.id));
    assert!(
        queue
            .items
            .iter()
            .all(|x| x.state == ConversationState::AwaitingReply)
    );
    assert_eq!(bureau.download_file(&file.id).await.unwrap(), PDF);
    let bureau_file = bureau
        .upload_file("检验须知.pdf", PDF.to_vec())
        .await
        .unwrap();
    let replied = bureau
        .post_message(
            c.id,
            &NewMessage {
                content: "可以，请提前 5 个工作日网上报检。".to_owned(),
                attachment_ids: vec![bureau_file.id.clone()],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (replied.conversation.state, replied.conversation.last_party),
        (ConversationState::Replied, Party::Bureau)
    );
    let reply = replied.thread.last().unwrap();
    assert_eq!(
        (reply.party, reply.party_name.as_str(), reply.kind),
        (
            Party::Bureau,
            "湖州市市场监督管理局吴兴分局",
            EntryKind::Message
        )
    );
    // The enterprise reads the bureau's attachment in its thread.
    assert_eq!(ent.download_file(&bureau_file.id).await.unwrap(), PDF);
    // One SMS to the enterprise's 安全管理负责人, keyed by the reply.
    let sms = sms_for(&app, &format!("conversation_reply:{}", reply.id)).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].kind, "conversation_replied");
    assert_eq!(sms[0].recipient, "13857201001");
    assert!(sms[0].body.contains("电梯检验时间咨询"), "{}", sms[0].body);

    // The enterprise follows up: awaiting the bureau again; no SMS for its own message.
    let followed = ent
        .post_message(c.id, &message("好的，谢谢。"))
        .await
        .unwrap();
    assert_eq!(
        followed.conversation.state,
        ConversationState::AwaitingReply
    );
    assert_eq!(followed.conversation.last_excerpt, "好的，谢谢。");
    assert_eq!(
        sms_for(&app, "conversation_reply:").await.len(),
        1,
        "only bureau replies send an SMS"
    );
    let thread = ent.conversation_messages(c.id).await.unwrap();
    assert_eq!(thread.len(), 3);
    assert_eq!(thread, ent.conversation(c.id).await.unwrap().thread);
    // The institute reads everything but cannot write.
    let institute = app.login("demo-institute").await;
    assert_eq!(institute.conversation(c.id).await.unwrap().thread.len(), 3);
    assert_eq!(institute.download_file(&file.id).await.unwrap(), PDF);
    assert_eq!(
        institute
            .post_message(c.id, &message("检验院"))
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("conversation"))
        .filter(audit_log::Column::EntityId.eq(c.id.to_string()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 3);
}
both!(routed_replied_and_notified);

async fn forwarding_moves_it_between_bureaus(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let wuxing = app.login("demo-bureau").await;
    let nanxun = nanxun_bureau(&app).await;
    let c = ent
        .start_conversation(&question("压力容器移装咨询", Vec::new()), None)
        .await
        .unwrap()
        .conversation;
    // Forwarding to the bureau that already has it, or to no bureau at all, is a field error.
    for (code, expected) in [("wuxing", "same_bureau"), ("nowhere", "unknown_bureau")] {
        let before = snapshot(&app).await;
        let e = ent
            .forward_conversation(c.id, &forward_to(code))
            .await
            .unwrap_err();
        let tejian_client::Error::Api(p) = e else {
            panic!()
        };
        assert_eq!((p.status, p.errors[0].code.as_str()), (422, expected));
        assert_eq!(snapshot(&app).await, before);
    }
    // 5.4.5: the enterprise passes it on to 南浔.
    let moved = ent
        .forward_conversation(c.id, &forward_to("nanxun"))
        .await
        .unwrap();
    assert_eq!(moved.conversation.bureau_code, "nanxun");
    let event = moved.thread.last().unwrap();
    assert_eq!(event.kind, EntryKind::Forward);
    assert_eq!(
        (
            event.from_bureau_name.as_deref(),
            event.to_bureau_name.as_deref()
        ),
        (
            Some("湖州市市场监督管理局吴兴分局"),
            Some("湖州市市场监督管理局南浔分局")
        )
    );
    // 吴兴 no longer sees it; 南浔 does, replies, and then passes it back with a note.
    assert_eq!(
        wuxing.conversation(c.id).await.unwrap_err().status(),
        Some(404)
    );
    let listed = wuxing
        .conversations(&ConversationQuery::default())
        .await
        .unwrap();
    assert!(listed.items.iter().all(|x| x.id != c.id));
    let replied = nanxun
        .post_message(c.id, &message("移装须重新办理使用登记。"))
        .await
        .unwrap();
    assert_eq!(replied.conversation.state, ConversationState::Replied);
    let back = nanxun
        .forward_conversation(
            c.id,
            &ForwardConversation {
                bureau_code: "wuxing".to_owned(),
                note: Some("  设备在吴兴区，请吴兴分局处理  ".to_owned()),
            },
        )
        .await
        .unwrap();
    // The new bureau owes an answer again.
    assert_eq!(
        (
            back.conversation.bureau_code.as_str(),
            back.conversation.state
        ),
        ("wuxing", ConversationState::AwaitingReply)
    );
    let event = back.thread.last().unwrap();
    assert_eq!(
        (event.party, event.content.as_deref()),
        (Party::Bureau, Some("设备在吴兴区，请吴兴分局处理"))
    );
    assert_eq!(
        nanxun.conversation(c.id).await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(wuxing.conversation(c.id).await.unwrap().thread.len(), 4);
}
both!(forwarding_moves_it_between_bureaus);

async fn closed_is_final(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let bureau = app.login("demo-bureau").await;
    let c = ent
        .start_conversation(&question("叉车登记证补办", Vec::new()), None)
        .await
        .unwrap()
        .conversation;
    // Only the bureau closes.
    assert_eq!(
        ent.close_conversation(c.id, &CloseConversation::default())
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    let closed = bureau
        .close_conversation(
            c.id,
            &CloseConversation {
                note: Some("问题已解决".to_owned()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (
            closed.conversation.state,
            closed.conversation.state_name.as_str()
        ),
        (ConversationState::Closed, "交流关闭")
    );
    assert!(closed.conversation.closed_at.is_some());
    assert_eq!(closed.thread.last().unwrap().kind, EntryKind::Close);

    let before = snapshot(&app).await;
    let refusals = [
        ent.post_message(c.id, &message("还有一个问题")).await,
        bureau.post_message(c.id, &message("补充说明")).await,
        ent.forward_conversation(c.id, &forward_to("nanxun")).await,
        bureau
            .close_conversation(c.id, &CloseConversation::default())
            .await,
    ];
    for r in refusals {
        let e = r.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some("conversation_closed"))
        );
    }
    assert_eq!(snapshot(&app).await, before);
    let listed = ent
        .conversations(&ConversationQuery {
            state: Some(ConversationState::Closed),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(listed.items.iter().any(|x| x.id == c.id));
    assert!(
        listed
            .items
            .iter()
            .all(|x| x.state == ConversationState::Closed)
    );
}
both!(closed_is_final);

async fn isolated_between_enterprises_and_bureaus(app: TestApp) {
    let ent1 = app.login("demo-ent-1").await;
    let ent2 = app.login("demo-ent-2").await;
    let nanxun = nanxun_bureau(&app).await;
    let file = ent2
        .upload_file("内部资料.pdf", PDF.to_vec())
        .await
        .unwrap();
    let c = ent2
        .start_conversation(&question("仅本单位可见的交流", vec![file.id.clone()]), None)
        .await
        .unwrap()
        .conversation;
    // Another enterprise: 404 on every path, exactly like a missing id, and not in its list.
    let before = snapshot(&app).await;
    for id in [c.id, 999_999] {
        assert_eq!(ent1.conversation(id).await.unwrap_err().status(), Some(404));
        assert_eq!(
            ent1.conversation_messages(id).await.unwrap_err().status(),
            Some(404)
        );
        let e = ent1.post_message(id, &message("冒充")).await.unwrap_err();
        assert_eq!((e.status(), e.code()), (Some(404), Some("not_found")));
        assert_eq!(
            ent1.forward_conversation(id, &forward_to("nanxun"))
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
    }
    assert_eq!(
        ent1.download_file(&file.id).await.unwrap_err().status(),
        Some(404)
    );
    let own = ent1
        .conversations(&ConversationQuery::default())
        .await
        .unwrap();
    assert!(own.items.iter().all(|x| x.id != c.id));
    // A bureau of another district: 404, an empty list, and no access to the attachment.
    assert_eq!(
        nanxun.conversation(c.id).await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(
        nanxun
            .post_message(c.id, &message("越权回复"))
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert_eq!(
        nanxun
            .close_conversation(c.id, &CloseConversation::default())
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    let theirs = nanxun
        .conversations(&ConversationQuery::default())
        .await
        .unwrap();
    assert_eq!((theirs.total, theirs.items.len()), (0, 0));
    assert_eq!(
        nanxun.download_file(&file.id).await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(snapshot(&app).await, before);
    // An enterprise cannot attach another enterprise's file.
    let e = ent1
        .start_conversation(&question("借用附件", vec![file.id.clone()]), None)
        .await
        .unwrap_err();
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    assert_eq!(p.errors[0].code, "invalid_attachment");
    assert_eq!(snapshot(&app).await, before);
}
both!(isolated_between_enterprises_and_bureaus);

async fn bad_input_changes_nothing(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let bureau = app.login("demo-bureau").await;
    let c = ent
        .start_conversation(&question("校验测试", Vec::new()), Some("conv-key-1"))
        .await
        .unwrap()
        .conversation;
    let before = snapshot(&app).await;
    let cases = [
        (
            NewConversation {
                subject: "主题".to_owned(),
                content: " \n ".to_owned(),
                attachment_ids: Vec::new(),
            },
            vec!["/content:content_required"],
        ),
        (
            NewConversation {
                subject: "题".repeat(101),
                content: "内容".to_owned(),
                attachment_ids: Vec::new(),
            },
            vec!["/subject:subject_too_long"],
        ),
        (
            NewConversation {
                subject: String::new(),
                content: "字".repeat(2001),
                attachment_ids: Vec::new(),
            },
            vec!["/subject:subject_required", "/content:content_too_long"],
        ),
        (
            question("附件不存在", vec!["f_does_not_exist".to_owned()]),
            vec!["/attachment_ids:invalid_attachment"],
        ),
    ];
    for (request, expected) in cases {
        let e = ent.start_conversation(&request, None).await.unwrap_err();
        let tejian_client::Error::Api(p) = e else {
            panic!()
        };
        assert_eq!((p.status, p.code.as_str()), (422, "validation_failed"));
        let got: Vec<String> = p
            .errors
            .iter()
            .map(|f| format!("{}:{}", f.pointer, f.code))
            .collect();
        assert_eq!(got, expected);
    }
    for (who, content) in [(&ent, ""), (&bureau, "   ")] {
        let e = who.post_message(c.id, &message(content)).await.unwrap_err();
        assert_eq!(e.status(), Some(422));
    }
    let e = bureau
        .post_message(
            c.id,
            &NewMessage {
                content: "附件不是本人上传的".to_owned(),
                attachment_ids: vec!["f_does_not_exist".to_owned()],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
    // Only enterprises start conversations.
    assert_eq!(
        bureau
            .start_conversation(&question("监管局发起", Vec::new()), None)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    assert_eq!(snapshot(&app).await, before);
    // The same Idempotency-Key returns the first conversation, not a second one.
    let again = ent
        .start_conversation(&question("校验测试", Vec::new()), Some("conv-key-1"))
        .await
        .unwrap();
    assert_eq!(again.conversation.id, c.id);
    assert_eq!(snapshot(&app).await, before);
    // The text filter looks in subjects and messages.
    let by_text = ent
        .conversations(&ConversationQuery {
            text: Some("同一天".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(by_text.items.iter().any(|x| x.id == c.id));
    let none = ent
        .conversations(&ConversationQuery {
            text: Some("100%_不存在".to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(none.total, 0);
}
both!(bad_input_changes_nothing);

async fn demo_conversations_show_every_state(app: TestApp) {
    let bureau = app.login("demo-bureau").await;
    let all = bureau
        .conversations(&ConversationQuery::default())
        .await
        .unwrap();
    let mut states: Vec<ConversationState> = all.items.iter().map(|c| c.state).collect();
    states.sort_by_key(|s| s.as_str());
    states.dedup();
    assert_eq!(states.len(), 3, "{states:?}");
    let closed = all
        .items
        .iter()
        .find(|c| c.state == ConversationState::Closed)
        .unwrap();
    let detail = bureau.conversation(closed.id).await.unwrap();
    let file = &detail.thread[0].attachments[0];
    assert_eq!(
        bureau.download_file(&file.id).await.unwrap()[..5],
        *b"%PDF-"
    );
}
both!(demo_conversations_show_every_state);

async fn a_viewer_reads_but_cannot_write(app: TestApp) {
    let viewer = app.login("demo-viewer").await;
    let operator = app.login("demo-operator").await;
    // demo-ent-1's enterprise: its demo conversations are visible to its viewer.
    let own = viewer
        .conversations(&ConversationQuery::default())
        .await
        .unwrap();
    assert!(own.total > 0);
    let id = own.items[0].id;
    assert!(!viewer.conversation(id).await.unwrap().thread.is_empty());
    let before = snapshot(&app).await;
    let refusals = [
        viewer
            .start_conversation(&question("查看者发起", Vec::new()), None)
            .await,
        viewer.post_message(id, &message("查看者回复")).await,
        viewer.forward_conversation(id, &forward_to("nanxun")).await,
    ];
    for r in refusals {
        let e = r.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(403), Some("read_only_access"))
        );
    }
    assert_eq!(snapshot(&app).await, before);
    // An operator of the same enterprise may.
    let started = operator
        .start_conversation(&question("经办人发起", Vec::new()), None)
        .await
        .unwrap();
    assert_eq!(started.thread[0].author_name, "沈小波");
}
both!(a_viewer_reads_but_cannot_write);
