//! Demo 交流互动: conversations of the two demo enterprises with the 吴兴区 bureau — one awaiting
//! its reply (the bureau's queue), one replied, one closed with an attachment — so every state of
//! manual §5.4.6 shows.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use time::{Duration, OffsetDateTime};

use crate::error::{AppError, AppResult};
use crate::files::FileStore;
use crate::store::entity::{conversation, conversation_file, conversation_message, stored_file};

/// The bureau of 吴兴区 (330502), where both demo enterprises are.
const BUREAU: &str = "wuxing";

/// (party, days before now, text); the party's author is the enterprise user or the bureau user.
type Line = (&'static str, i64, &'static str);

struct Plan {
    enterprise: usize,
    subject: &'static str,
    lines: &'static [Line],
    closed: Option<(i64, &'static str)>,
    attachment: Option<&'static str>,
}

const PLANS: &[Plan] = &[
    Plan {
        enterprise: 0,
        subject: "电梯定期检验能否集中安排",
        lines: &[(
            "enterprise",
            1,
            "我单位人民路小区 6 台电梯下月陆续到期，能否安排在同一周内集中检验？检验期间需要我们做哪些准备？",
        )],
        closed: None,
        attachment: None,
    },
    Plan {
        enterprise: 1,
        subject: "停用锅炉是否需要办理停用登记",
        lines: &[
            (
                "enterprise",
                6,
                "织里厂区一台燃气锅炉计划停用半年，请问是否需要到贵局办理停用登记？",
            ),
            (
                "bureau",
                5,
                "停用一年以内也需在停用后 30 日内办理停用登记：请在平台“设备状态变更”中提交停用申请，并在设备显著位置张贴停用标志。",
            ),
        ],
        closed: None,
        attachment: None,
    },
    Plan {
        enterprise: 0,
        subject: "叉车使用登记证遗失补办",
        lines: &[
            (
                "enterprise",
                20,
                "我单位一台叉车的使用登记证遗失，附上登报声明，请问如何补办？",
            ),
            (
                "bureau",
                18,
                "已收到声明。请携带营业执照复印件和登报声明原件到吴兴分局窗口办理补证，当场可取。",
            ),
            ("enterprise", 16, "已办好，谢谢！"),
        ],
        closed: Some((15, "问题已解决，交流关闭。")),
        attachment: Some("遗失声明.pdf"),
    },
];

/// Inserts the demo conversations. `enterprises` are the seeded enterprise ids in order; the
/// users are (id, display name) of the two enterprise users and the bureau user.
pub(super) async fn demo_conversations<C: ConnectionTrait>(
    txn: &C,
    files: &FileStore,
    enterprises: &[i64],
    enterprise_users: [&(i64, String); 2],
    bureau_user: &(i64, String),
    now: OffsetDateTime,
) -> AppResult<usize> {
    let mut made = 0;
    for plan in PLANS {
        let (Some(&enterprise_id), Some(author)) = (
            enterprises.get(plan.enterprise),
            enterprise_users.get(plan.enterprise),
        ) else {
            continue;
        };
        let first_at = now - Duration::days(plan.lines.first().map_or(0, |l| l.1));
        let (last_party, last_days, last_text) = plan.lines.last().copied().unwrap_or_default();
        let state = match (plan.closed, last_party) {
            (Some(_), _) => "closed",
            (None, "bureau") => "replied",
            _ => "awaiting_reply",
        };
        let row = conversation::ActiveModel {
            enterprise_id: Set(enterprise_id),
            bureau_code: Set(BUREAU.to_owned()),
            subject: Set(plan.subject.to_owned()),
            state: Set(state.to_owned()),
            last_excerpt: Set(tejian_domain::conversation::excerpt(
                last_text,
                tejian_domain::conversation::EXCERPT_CHARS,
            )),
            last_party: Set(last_party.to_owned()),
            last_message_at: Set(now - Duration::days(last_days)),
            created_by_user_id: Set(author.0),
            created_at: Set(first_at),
            updated_at: Set(now - Duration::days(plan.closed.map_or(last_days, |c| c.0))),
            closed_at: Set(plan.closed.map(|c| now - Duration::days(c.0))),
            idempotency_key: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (n, (party, days, text)) in plan.lines.iter().enumerate() {
            let who = if *party == "bureau" {
                bureau_user
            } else {
                *author
            };
            let message = conversation_message::ActiveModel {
                conversation_id: Set(row.id),
                kind: Set("message".to_owned()),
                party: Set((*party).to_owned()),
                author_user_id: Set(who.0),
                author_name: Set(who.1.clone()),
                bureau_code: Set(BUREAU.to_owned()),
                content: Set(Some((*text).to_owned())),
                from_bureau_code: Set(None),
                to_bureau_code: Set(None),
                created_at: Set(now - Duration::days(*days)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if let (0, Some(name)) = (n, plan.attachment) {
                let file_id = format!("f_demo_conversation_{}", row.id);
                files
                    .put(&file_id, super::DEMO_PDF.to_vec())
                    .await
                    .map_err(AppError::internal)?;
                stored_file::ActiveModel {
                    id: Set(file_id.clone()),
                    enterprise_id: Set(Some(enterprise_id)),
                    uploaded_by: Set(author.0),
                    file_name: Set(name.to_owned()),
                    content_type: Set("application/pdf".to_owned()),
                    size: Set(i64::try_from(super::DEMO_PDF.len()).unwrap_or(0)),
                    storage_key: Set(file_id.clone()),
                    created_at: Set(now - Duration::days(*days)),
                }
                .insert(txn)
                .await?;
                conversation_file::ActiveModel {
                    message_id: Set(message.id),
                    file_id: Set(file_id),
                    conversation_id: Set(row.id),
                }
                .insert(txn)
                .await?;
            }
        }
        if let Some((days, note)) = plan.closed {
            conversation_message::ActiveModel {
                conversation_id: Set(row.id),
                kind: Set("close".to_owned()),
                party: Set("bureau".to_owned()),
                author_user_id: Set(bureau_user.0),
                author_name: Set(bureau_user.1.clone()),
                bureau_code: Set(BUREAU.to_owned()),
                content: Set(Some(note.to_owned())),
                from_bureau_code: Set(None),
                to_bureau_code: Set(None),
                created_at: Set(now - Duration::days(days)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        made += 1;
    }
    Ok(made)
}
