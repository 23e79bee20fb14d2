//! `tejianctl conversations`: a bureau's 交流互动 queue from the command line (manual 5.4) —
//! list, read a thread, reply, pass on, close.

use clap::Subcommand;
use tejian_client::AuthedClient;
use tejian_contract::conversation::{
    CloseConversation, Conversation, ConversationDetail, ConversationQuery, ForwardConversation,
    NewMessage,
};
use tejian_domain::conversation::EntryKind;

use crate::{api_error, print_json};

#[derive(Subcommand)]
pub enum Conversations {
    /// 交流列表（监管局看到本辖区受理的；`--state awaiting_reply` 为待回复队列）。
    List {
        /// awaiting_reply, replied or closed.
        #[arg(long)]
        state: Option<String>,
        /// Text in the subject or any message.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// 交流记录: one conversation with its whole thread.
    Show { id: i64 },
    /// 回复 (the bureau's reply queues an SMS to the enterprise).
    Reply {
        id: i64,
        #[arg(long)]
        content: String,
    },
    /// 转交 to another bureau (its code, see `reference bureaus`).
    Forward {
        id: i64,
        #[arg(long)]
        bureau: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// 关闭交流 (bureau).
    Close {
        id: i64,
        #[arg(long)]
        note: Option<String>,
    },
}

fn print_row(c: &Conversation) {
    println!(
        "#{:<6} {:<6} {} | {} | {}",
        c.id, c.state_name, c.enterprise_name, c.subject, c.last_excerpt
    );
}

fn print_detail(d: &ConversationDetail) {
    let c = &d.conversation;
    println!(
        "#{} {}（{}，受理机构：{}）",
        c.id, c.subject, c.state_name, c.bureau_name
    );
    for e in &d.thread {
        let what = match e.kind {
            EntryKind::Message => String::new(),
            EntryKind::Forward => format!(
                "[转交 {} → {}] ",
                e.from_bureau_name.as_deref().unwrap_or(""),
                e.to_bureau_name.as_deref().unwrap_or("")
            ),
            EntryKind::Close => "[关闭] ".to_owned(),
        };
        println!(
            "  {} {}（{}）: {what}{}",
            e.created_at.date(),
            e.party_name,
            e.author_name,
            e.content.as_deref().unwrap_or("")
        );
        for f in &e.attachments {
            println!("      附件 {} {}", f.id, f.file_name);
        }
    }
}

pub async fn conversations(
    client: &AuthedClient,
    action: Conversations,
    json: bool,
) -> Result<(), String> {
    let detail = match action {
        Conversations::List { state, text, page } => {
            let state = state
                .map(|s| {
                    s.parse()
                        .map_err(|e: tejian_domain::ParseError| e.to_string())
                })
                .transpose()?;
            let query = ConversationQuery {
                state,
                text,
                page: Some(page),
                per_page: Some(50),
            };
            let list = client.conversations(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 条（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_row);
            return Ok(());
        }
        Conversations::Show { id } => client.conversation(id).await,
        Conversations::Reply { id, content } => {
            let message = NewMessage {
                content,
                attachment_ids: Vec::new(),
            };
            client.post_message(id, &message).await
        }
        Conversations::Forward { id, bureau, note } => {
            let request = ForwardConversation {
                bureau_code: bureau,
                note,
            };
            client.forward_conversation(id, &request).await
        }
        Conversations::Close { id, note } => {
            client
                .close_conversation(id, &CloseConversation { note })
                .await
        }
    }
    .map_err(api_error)?;
    if json {
        return print_json(&detail);
    }
    print_detail(&detail);
    Ok(())
}
