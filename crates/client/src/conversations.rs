//! Typed calls for 交流互动 (manual 5.4).

use crate::http::Method;
use tejian_contract::conversation::{
    CloseConversation, Conversation, ConversationDetail, ConversationQuery, ForwardConversation,
    NewConversation, NewMessage, ThreadEntry,
};
use tejian_contract::list::Page;

use crate::{AuthedClient, Result};

impl AuthedClient {
    /// 交流列表: the enterprise's own, a bureau's queue, or all (institute).
    pub async fn conversations(&self, query: &ConversationQuery) -> Result<Page<Conversation>> {
        self.call(|c| c.request(Method::GET, "/conversations").query(query))
            .await
    }

    /// 发起交流 (enterprise); the same `idempotency_key` returns the earlier conversation.
    pub async fn start_conversation(
        &self,
        request: &NewConversation,
        idempotency_key: Option<&str>,
    ) -> Result<ConversationDetail> {
        self.call(|c| {
            let rb = c.request(Method::POST, "/conversations").json(request);
            match idempotency_key {
                Some(key) => rb.header("Idempotency-Key", key),
                None => rb,
            }
        })
        .await
    }

    /// 交流记录: one conversation with its whole thread.
    pub async fn conversation(&self, id: i64) -> Result<ConversationDetail> {
        self.call(|c| c.request(Method::GET, &format!("/conversations/{id}")))
            .await
    }

    /// The thread of one conversation, oldest first.
    pub async fn conversation_messages(&self, id: i64) -> Result<Vec<ThreadEntry>> {
        self.call(|c| c.request(Method::GET, &format!("/conversations/{id}/messages")))
            .await
    }

    /// 回复: the enterprise's follow-up or the bureau's reply.
    pub async fn post_message(&self, id: i64, message: &NewMessage) -> Result<ConversationDetail> {
        self.call(|c| {
            c.request(Method::POST, &format!("/conversations/{id}/messages"))
                .json(message)
        })
        .await
    }

    /// 提交监察机构: pass the conversation on to another bureau.
    pub async fn forward_conversation(
        &self,
        id: i64,
        request: &ForwardConversation,
    ) -> Result<ConversationDetail> {
        self.call(|c| {
            c.request(Method::POST, &format!("/conversations/{id}/forward"))
                .json(request)
        })
        .await
    }

    /// 关闭交流 (bureau).
    pub async fn close_conversation(
        &self,
        id: i64,
        request: &CloseConversation,
    ) -> Result<ConversationDetail> {
        self.call(|c| {
            c.request(Method::POST, &format!("/conversations/{id}/close"))
                .json(request)
        })
        .await
    }
}
