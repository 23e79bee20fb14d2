//! 交流互动 (manual §5.4): an enterprise starts a conversation, which goes to the bureau of its
//! district; either side continues the thread, either side may pass it on to another bureau, the
//! bureau closes it. An enterprise sees its own conversations, a bureau those routed to a bureau
//! of its district now, the institute all of them (read only).

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::sea_query::{Condition, LikeExpr, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use serde_json::json;
use tejian_contract::conversation::{
    CloseConversation, Conversation, ConversationDetail, ConversationQuery, ForwardConversation,
    NewConversation, NewMessage, ThreadEntry,
};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::problem::FieldError;
use tejian_domain::ParseError;
use tejian_domain::account::Role;
use tejian_domain::conversation::{
    ConversationState, EntryKind, Event, MessageContent, Party, Subject,
};
use time::OffsetDateTime;

use super::applications::contains;
use super::files::info;
use super::{Actor, Scope, Services, filter_text};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::store::entity::{
    bureau, conversation, conversation_file, conversation_message, district, enterprise,
    stored_file,
};

/// The codes of the bureaus of `district` (a district has one bureau today; the query does not
/// assume it).
fn bureaus_of(district: &str) -> SelectStatement {
    bureau::Entity::find()
        .select_only()
        .column(bureau::Column::Code)
        .filter(bureau::Column::DistrictCode.eq(district))
        .into_query()
}

/// Restricts a conversation query to what `scope` may see. A bureau sees what is routed to a
/// bureau of its district now: once passed on, a conversation belongs to the new bureau.
fn scoped(query: Select<conversation::Entity>, scope: &Scope) -> Select<conversation::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(conversation::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => {
            query.filter(conversation::Column::BureauCode.in_subquery(bureaus_of(code)))
        }
        Scope::All => query,
        Scope::Nothing => query.filter(conversation::Column::Id.lt(0)),
    }
}

/// The ids of the conversations `scope` may see, for file visibility.
pub(crate) fn visible_ids(scope: &Scope) -> SelectStatement {
    scoped(
        conversation::Entity::find()
            .select_only()
            .column(conversation::Column::Id),
        scope,
    )
    .into_query()
}

/// The side the actor speaks for; the institute and administrators only read.
fn party_of(actor: &Actor) -> AppResult<Party> {
    match actor.role {
        Role::Enterprise => Ok(Party::Enterprise),
        Role::Bureau => Ok(Party::Bureau),
        Role::Institute | Role::Admin => Err(AppError::Forbidden),
    }
}

fn field_error(pointer: &str, e: &ParseError) -> FieldError {
    FieldError {
        pointer: pointer.to_owned(),
        code: e.code().to_owned(),
        detail: e.to_string(),
    }
}

/// A note on a forward or close: trimmed, empty means none.
fn note(value: Option<&str>) -> Option<String> {
    filter_text(value).map(str::to_owned)
}

/// A new thread entry.
struct NewEntry {
    conversation_id: i64,
    kind: EntryKind,
    party: Party,
    bureau_code: String,
    content: Option<String>,
    from_bureau: Option<String>,
    to_bureau: Option<String>,
    attachments: Vec<String>,
}

impl Services {
    /// Checks that every id names a file the actor may attach: an enterprise its own
    /// enterprise's uploads, a bureau user its own uploads. Returns the ids, each once.
    async fn attachable<C: ConnectionTrait>(
        &self,
        conn: &C,
        actor: &Actor,
        ids: &[String],
    ) -> AppResult<Vec<String>> {
        let mut ids = ids.to_vec();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Ok(ids);
        }
        let query = stored_file::Entity::find().filter(stored_file::Column::Id.is_in(ids.clone()));
        let query = match actor.enterprise_id {
            Some(ent) if actor.role == Role::Enterprise => {
                query.filter(stored_file::Column::EnterpriseId.eq(ent))
            }
            _ => query.filter(stored_file::Column::UploadedBy.eq(actor.user_id)),
        };
        let found = query.count(conn).await?;
        if usize::try_from(found).unwrap_or(0) != ids.len() {
            return Err(AppError::field(
                "/attachment_ids",
                "invalid_attachment",
                "附件不存在或不是本单位上传的，请重新上传",
            ));
        }
        Ok(ids)
    }

    async fn bureau_names(&self) -> AppResult<HashMap<String, String>> {
        Ok(bureau::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| (b.code, b.name))
            .collect())
    }

    async fn wire_conversations(
        &self,
        rows: Vec<conversation::Model>,
    ) -> AppResult<Vec<Conversation>> {
        let bureaus = self.bureau_names().await?;
        let enterprise_ids: Vec<i64> = rows.iter().map(|r| r.enterprise_id).collect();
        let names: HashMap<i64, String> = enterprise::Entity::find()
            .filter(enterprise::Column::Id.is_in(enterprise_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        rows.into_iter()
            .map(|r| {
                let bad = |what: &str| {
                    AppError::internal(format!("conversation {} has invalid {what}", r.id))
                };
                let state = ConversationState::from_str(&r.state).map_err(|_| bad("state"))?;
                Ok(Conversation {
                    id: r.id,
                    subject: r.subject,
                    state,
                    state_name: state.label_zh().to_owned(),
                    enterprise_name: names.get(&r.enterprise_id).cloned().unwrap_or_default(),
                    bureau_name: bureaus
                        .get(&r.bureau_code)
                        .cloned()
                        .unwrap_or_else(|| r.bureau_code.clone()),
                    bureau_code: r.bureau_code,
                    last_excerpt: r.last_excerpt,
                    last_party: Party::from_str(&r.last_party).map_err(|_| bad("last_party"))?,
                    created_at: r.created_at,
                    last_message_at: r.last_message_at,
                    closed_at: r.closed_at,
                })
            })
            .collect()
    }

    async fn thread(&self, conversation: &Conversation) -> AppResult<Vec<ThreadEntry>> {
        let bureaus = self.bureau_names().await?;
        let rows = conversation_message::Entity::find()
            .filter(conversation_message::Column::ConversationId.eq(conversation.id))
            .order_by_asc(conversation_message::Column::CreatedAt)
            .order_by_asc(conversation_message::Column::Id)
            .all(&self.db)
            .await?;
        let links = conversation_file::Entity::find()
            .filter(conversation_file::Column::ConversationId.eq(conversation.id))
            .all(&self.db)
            .await?;
        let files: HashMap<String, stored_file::Model> = stored_file::Entity::find()
            .filter(stored_file::Column::Id.is_in(links.iter().map(|l| l.file_id.clone())))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|f| (f.id.clone(), f))
            .collect();
        let bureau_name = |code: &str| {
            bureaus
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_owned())
        };
        rows.into_iter()
            .map(|m| {
                let bad = |what: &str| {
                    AppError::internal(format!("conversation message {} has invalid {what}", m.id))
                };
                let kind = EntryKind::from_str(&m.kind).map_err(|_| bad("kind"))?;
                let party = Party::from_str(&m.party).map_err(|_| bad("party"))?;
                let mut attachments: Vec<_> = links
                    .iter()
                    .filter(|l| l.message_id == m.id)
                    .filter_map(|l| files.get(&l.file_id).map(info))
                    .collect();
                attachments.sort_by(|a, b| a.uploaded_at.cmp(&b.uploaded_at).then(a.id.cmp(&b.id)));
                Ok(ThreadEntry {
                    id: m.id,
                    kind,
                    party,
                    party_name: match party {
                        Party::Enterprise => conversation.enterprise_name.clone(),
                        Party::Bureau => bureau_name(&m.bureau_code),
                    },
                    author_name: m.author_name,
                    content: m.content,
                    from_bureau_name: m.from_bureau_code.as_deref().map(bureau_name),
                    to_bureau_name: m.to_bureau_code.as_deref().map(bureau_name),
                    created_at: m.created_at,
                    attachments,
                })
            })
            .collect()
    }

    /// The conversation with its whole thread. Callers have already checked the scope (or just
    /// wrote it: a bureau that passed a conversation on gets this last view of it).
    async fn detail(&self, row: conversation::Model) -> AppResult<ConversationDetail> {
        let conversation = self
            .wire_conversations(vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("conversation vanished"))?;
        let thread = self.thread(&conversation).await?;
        Ok(ConversationDetail {
            conversation,
            thread,
        })
    }

    /// Writes one thread entry and its attachment links.
    async fn add_entry<C: ConnectionTrait>(
        &self,
        conn: &C,
        actor: &Actor,
        author_name: &str,
        entry: NewEntry,
        at: OffsetDateTime,
    ) -> AppResult<conversation_message::Model> {
        let row = conversation_message::ActiveModel {
            conversation_id: Set(entry.conversation_id),
            kind: Set(entry.kind.as_str().to_owned()),
            party: Set(entry.party.as_str().to_owned()),
            author_user_id: Set(actor.user_id),
            author_name: Set(author_name.chars().take(64).collect()),
            bureau_code: Set(entry.bureau_code),
            content: Set(entry.content),
            from_bureau_code: Set(entry.from_bureau),
            to_bureau_code: Set(entry.to_bureau),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        for file_id in entry.attachments {
            conversation_file::ActiveModel {
                message_id: Set(row.id),
                file_id: Set(file_id),
                conversation_id: Set(entry.conversation_id),
            }
            .insert(conn)
            .await?;
        }
        Ok(row)
    }

    /// 发起交流 (enterprise). It goes to the bureau of the enterprise's district (5.4.4).
    /// Returns the conversation and whether it was created now (false: the same
    /// `Idempotency-Key` was used before and the earlier conversation is returned).
    pub async fn start_conversation(
        &self,
        actor: &Actor,
        request: NewConversation,
        idempotency_key: Option<String>,
    ) -> AppResult<(ConversationDetail, bool)> {
        if actor.role != Role::Enterprise {
            return Err(AppError::Forbidden);
        }
        let Scope::Enterprise(enterprise_id) = actor.scope() else {
            return Err(AppError::Forbidden);
        };
        if let Some(key) = &idempotency_key {
            let earlier = conversation::Entity::find()
                .filter(conversation::Column::CreatedByUserId.eq(actor.user_id))
                .filter(conversation::Column::IdempotencyKey.eq(key.clone()))
                .one(&self.db)
                .await?;
            if let Some(earlier) = earlier {
                return Ok((self.detail(earlier).await?, false));
            }
        }
        let subject = Subject::parse(&request.subject);
        let content = MessageContent::parse(&request.content);
        let (subject, content) = match (subject, content) {
            (Ok(s), Ok(c)) => (s, c),
            (s, c) => {
                let mut errors = Vec::new();
                if let Err(e) = s {
                    errors.push(field_error("/subject", &e));
                }
                if let Err(e) = c {
                    errors.push(field_error("/content", &e));
                }
                return Err(AppError::Validation(errors));
            }
        };
        let user = self.acting_user(actor).await?;

        let txn = self.begin_write().await?;
        let attachments = self
            .attachable(&txn, actor, &request.attachment_ids)
            .await?;
        let ent = enterprise::Entity::find_by_id(enterprise_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Forbidden)?;
        let routed = district::Entity::find_by_id(ent.district_code.clone())
            .one(&txn)
            .await?
            .and_then(|d| d.bureau_code);
        let bureau_code = match routed {
            Some(code) => Some(code),
            None => bureau::Entity::find()
                .filter(bureau::Column::DistrictCode.eq(ent.district_code.clone()))
                .order_by_asc(bureau::Column::Code)
                .one(&txn)
                .await?
                .map(|b| b.code),
        }
        .ok_or_else(|| AppError::Conflict {
            code: "no_bureau_for_district",
            detail: "本单位所在辖区没有受理交流的市场监管局，请联系检验院".to_owned(),
        })?;
        let now = OffsetDateTime::now_utc();
        let state = ConversationState::AwaitingReply;
        let row = conversation::ActiveModel {
            enterprise_id: Set(enterprise_id),
            bureau_code: Set(bureau_code.clone()),
            subject: Set(subject.as_str().to_owned()),
            state: Set(state.as_str().to_owned()),
            last_excerpt: Set(content.excerpt()),
            last_party: Set(Party::Enterprise.as_str().to_owned()),
            last_message_at: Set(now),
            created_by_user_id: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            closed_at: Set(None),
            idempotency_key: Set(idempotency_key),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let message = self
            .add_entry(
                &txn,
                actor,
                &user.display_name,
                NewEntry {
                    conversation_id: row.id,
                    kind: EntryKind::Message,
                    party: Party::Enterprise,
                    bureau_code: bureau_code.clone(),
                    content: Some(content.as_str().to_owned()),
                    from_bureau: None,
                    to_bureau: None,
                    attachments: attachments.clone(),
                },
                now,
            )
            .await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "conversation_started",
                "conversation",
                row.id,
            )
            .after(json!({
                "bureau_code": bureau_code, "subject": row.subject, "state": row.state,
                "message_id": message.id, "attachments": attachments,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok((self.detail(row).await?, true))
    }

    /// 回复 (5.4.7): the enterprise or the receiving bureau adds a message. The bureau's reply
    /// marks the conversation 已回复 and queues an SMS to the enterprise's 安全管理负责人.
    pub async fn post_message(
        &self,
        actor: &Actor,
        id: i64,
        request: NewMessage,
    ) -> AppResult<ConversationDetail> {
        let party = party_of(actor)?;
        let content = MessageContent::parse(&request.content)
            .map_err(|e| AppError::Validation(vec![field_error("/content", &e)]))?;
        let user = self.acting_user(actor).await?;

        let txn = self.begin_write().await?;
        let row = scoped(conversation::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ConversationState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state
            .after(Event::Message(party))
            .map_err(|e| AppError::conflict(&e))?;
        let attachments = self
            .attachable(&txn, actor, &request.attachment_ids)
            .await?;
        let now = OffsetDateTime::now_utc();
        let message = self
            .add_entry(
                &txn,
                actor,
                &user.display_name,
                NewEntry {
                    conversation_id: row.id,
                    kind: EntryKind::Message,
                    party,
                    bureau_code: row.bureau_code.clone(),
                    content: Some(content.as_str().to_owned()),
                    from_bureau: None,
                    to_bureau: None,
                    attachments: attachments.clone(),
                },
                now,
            )
            .await?;
        let mut active = row.clone().into_active_model();
        active.state = Set(next.as_str().to_owned());
        active.last_excerpt = Set(content.excerpt());
        active.last_party = Set(party.as_str().to_owned());
        active.last_message_at = Set(now);
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        if party == Party::Bureau {
            let bureau_name = bureau::Entity::find_by_id(row.bureau_code.clone())
                .one(&txn)
                .await?
                .map_or_else(|| "市场监管局".to_owned(), |b| b.name);
            let subject: String = row.subject.chars().take(20).collect();
            self.notify_enterprise(
                &txn,
                row.enterprise_id,
                "conversation_replied",
                &format!("conversation_reply:{}", message.id),
                &format!(
                    "【湖州特检院】{bureau_name}已回复贵单位的交流「{subject}」，请登录企业服务平台在“交流互动”中查看。"
                ),
            )
            .await?;
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &user.username,
                    "conversation_message_posted",
                    "conversation",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(json!({
                "state": updated.state, "party": party.as_str(), "message_id": message.id,
                "attachments": attachments,
            })),
        )
        .await?;
        txn.commit().await?;
        self.detail(updated).await
    }

    /// 提交监察机构 (5.4.5): the enterprise, or the receiving bureau, passes the conversation on
    /// to another bureau. It then awaits that bureau's reply; the thread records the move.
    pub async fn forward_conversation(
        &self,
        actor: &Actor,
        id: i64,
        request: ForwardConversation,
    ) -> AppResult<ConversationDetail> {
        let party = party_of(actor)?;
        let code = request.bureau_code.trim().to_owned();
        let target = bureau::Entity::find_by_id(code.clone())
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                AppError::field("/bureau_code", "unknown_bureau", "请选择有效的监管局")
            })?;
        let note = note(request.note.as_deref());
        let user = self.acting_user(actor).await?;

        let txn = self.begin_write().await?;
        let row = scoped(conversation::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ConversationState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state
            .after(Event::Forward)
            .map_err(|e| AppError::conflict(&e))?;
        if row.bureau_code == target.code {
            return Err(AppError::field(
                "/bureau_code",
                "same_bureau",
                format!("本交流已由{}受理，请选择其他监管局", target.name),
            ));
        }
        let now = OffsetDateTime::now_utc();
        let entry = self
            .add_entry(
                &txn,
                actor,
                &user.display_name,
                NewEntry {
                    conversation_id: row.id,
                    kind: EntryKind::Forward,
                    party,
                    bureau_code: row.bureau_code.clone(),
                    content: note.clone(),
                    from_bureau: Some(row.bureau_code.clone()),
                    to_bureau: Some(target.code.clone()),
                    attachments: Vec::new(),
                },
                now,
            )
            .await?;
        let mut active = row.clone().into_active_model();
        active.bureau_code = Set(target.code.clone());
        active.state = Set(next.as_str().to_owned());
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &user.username,
                    "conversation_forwarded",
                    "conversation",
                    row.id,
                )
            }
            .before(json!({ "bureau_code": row.bureau_code, "state": row.state }))
            .after(json!({
                "bureau_code": updated.bureau_code, "state": updated.state,
                "entry_id": entry.id, "note": note,
            })),
        )
        .await?;
        txn.commit().await?;
        self.detail(updated).await
    }

    /// 关闭交流 (bureau): ends the conversation; nothing more can be said or passed on.
    pub async fn close_conversation(
        &self,
        actor: &Actor,
        id: i64,
        request: CloseConversation,
    ) -> AppResult<ConversationDetail> {
        if actor.role != Role::Bureau {
            return Err(AppError::Forbidden);
        }
        let note = note(request.note.as_deref());
        let user = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(conversation::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ConversationState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state
            .after(Event::Close)
            .map_err(|e| AppError::conflict(&e))?;
        let now = OffsetDateTime::now_utc();
        let entry = self
            .add_entry(
                &txn,
                actor,
                &user.display_name,
                NewEntry {
                    conversation_id: row.id,
                    kind: EntryKind::Close,
                    party: Party::Bureau,
                    bureau_code: row.bureau_code.clone(),
                    content: note.clone(),
                    from_bureau: None,
                    to_bureau: None,
                    attachments: Vec::new(),
                },
                now,
            )
            .await?;
        let mut active = row.clone().into_active_model();
        active.state = Set(next.as_str().to_owned());
        active.closed_at = Set(Some(now));
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &user.username,
                    "conversation_closed",
                    "conversation",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(json!({ "state": updated.state, "entry_id": entry.id, "note": note })),
        )
        .await?;
        txn.commit().await?;
        self.detail(updated).await
    }

    /// 交流列表 (5.4.6): the conversations the actor may see, latest activity first, by state and
    /// by a text in the subject or in any message.
    pub async fn conversations(
        &self,
        actor: &Actor,
        query: &ConversationQuery,
    ) -> AppResult<Page<Conversation>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(conversation::Entity::find(), &actor.scope());
        if let Some(state) = query.state {
            select = select.filter(conversation::Column::State.eq(state.as_str()));
        }
        if let Some(text) = filter_text(query.text.as_deref()) {
            let like = || LikeExpr::new(contains(text)).escape('\\');
            let in_messages = conversation_message::Entity::find()
                .select_only()
                .column(conversation_message::Column::ConversationId)
                .filter(conversation_message::Column::Content.like(like()))
                .into_query();
            select = select.filter(
                Condition::any()
                    .add(conversation::Column::Subject.like(like()))
                    .add(conversation::Column::Id.in_subquery(in_messages)),
            );
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(conversation::Column::LastMessageAt)
            .order_by_desc(conversation::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_conversations(rows).await?, total))
    }

    /// 交流记录 (5.4.8): one conversation with its whole thread.
    pub async fn conversation(&self, actor: &Actor, id: i64) -> AppResult<ConversationDetail> {
        let row = scoped(conversation::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        self.detail(row).await
    }

    /// The thread of one conversation, oldest first.
    pub async fn conversation_thread(&self, actor: &Actor, id: i64) -> AppResult<Vec<ThreadEntry>> {
        Ok(self.conversation(actor, id).await?.thread)
    }
}
