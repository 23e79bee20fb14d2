//! 交流互动 (manual §5.4): an enterprise talks with a market-supervision bureau (市场监管局).
//!
//! A conversation (交流) starts with the enterprise's question, goes to the bureau of the
//! enterprise's district, and continues as a thread of messages from either side. The enterprise
//! (or the bureau) may pass it on (转交) to another bureau; the bureau ends it (交流关闭), after
//! which nothing more can be said. Its state says whose turn it is:
//!
//! | state | meaning | after |
//! |---|---|---|
//! | 待回复 `awaiting_reply` | the enterprise spoke last, or it was just passed on | enterprise message, forward |
//! | 已回复 `replied` | the bureau spoke last | bureau reply |
//! | 交流关闭 `closed` | ended by the bureau; final | close |

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, string_newtype};

/// The longest 主题, in characters.
pub const MAX_SUBJECT_CHARS: usize = 100;
/// The longest message, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;
/// How many characters of the latest message a list shows.
pub const EXCERPT_CHARS: usize = 60;

/// 主题: what the conversation is about; required, at most 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Subject(String);

impl Subject {
    /// Trims `value` and checks it is 1 to [`MAX_SUBJECT_CHARS`] characters.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ParseError::new("subject_required", "请填写交流主题"));
        }
        if trimmed.chars().count() > MAX_SUBJECT_CHARS {
            return Err(ParseError::new(
                "subject_too_long",
                format!("交流主题不能超过 {MAX_SUBJECT_CHARS} 个字"),
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(Subject);

/// 交流内容: one message; 1 to 2000 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageContent(String);

impl MessageContent {
    /// Trims `value` and checks it is 1 to [`MAX_CONTENT_CHARS`] characters.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ParseError::new("content_required", "请填写交流内容"));
        }
        if trimmed.chars().count() > MAX_CONTENT_CHARS {
            return Err(ParseError::new(
                "content_too_long",
                format!("交流内容不能超过 {MAX_CONTENT_CHARS} 个字"),
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The start of the message for a list: whitespace runs become one space, and a cut text
    /// ends with `…`.
    pub fn excerpt(&self) -> String {
        excerpt(&self.0, EXCERPT_CHARS)
    }
}

string_newtype!(MessageContent);

/// At most `max` characters of `text` on one line, `…` marking a cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Who says something in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// 使用单位
    Enterprise,
    /// 市场监管局
    Bureau,
}

crate::error::wire_enum_names!(Party, "unknown_party", "未知的交流方", {
    Enterprise => "enterprise",
    Bureau => "bureau",
});

impl Party {
    pub fn all() -> &'static [Party] {
        &[Party::Enterprise, Party::Bureau]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Party::Enterprise => "使用单位",
            Party::Bureau => "监管局",
        }
    }
}

/// What an entry of the thread (交流记录) records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 留言: a message with its text and attachments.
    Message,
    /// 转交: passed on to another bureau (with an optional note).
    Forward,
    /// 关闭: ended by the bureau (with an optional note).
    Close,
}

crate::error::wire_enum_names!(EntryKind, "unknown_entry_kind", "未知的交流记录类型", {
    Message => "message",
    Forward => "forward",
    Close => "close",
});

impl EntryKind {
    pub fn all() -> &'static [EntryKind] {
        &[EntryKind::Message, EntryKind::Forward, EntryKind::Close]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EntryKind::Message => "留言",
            EntryKind::Forward => "转交",
            EntryKind::Close => "关闭",
        }
    }
}

/// 交流状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    /// 待回复: the bureau owes an answer.
    AwaitingReply,
    /// 已回复: the bureau answered last.
    Replied,
    /// 交流关闭: ended; final.
    Closed,
}

crate::error::wire_enum_names!(ConversationState, "unknown_conversation_state", "未知的交流状态", {
    AwaitingReply => "awaiting_reply",
    Replied => "replied",
    Closed => "closed",
});

/// Something that happens to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A message from one side (the first question, a follow-up, a reply).
    Message(Party),
    /// 转交: passed on to another bureau.
    Forward,
    /// 关闭: the bureau ends the conversation.
    Close,
}

impl ConversationState {
    /// Every state, in the order a filter lists them.
    pub fn all() -> &'static [ConversationState] {
        &[
            ConversationState::AwaitingReply,
            ConversationState::Replied,
            ConversationState::Closed,
        ]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ConversationState::AwaitingReply => "待回复",
            ConversationState::Replied => "已回复",
            ConversationState::Closed => "交流关闭",
        }
    }

    /// Whether anything more can happen.
    pub fn is_open(self) -> bool {
        self != ConversationState::Closed
    }

    /// The state after `event`. A closed conversation takes nothing more
    /// (`conversation_closed`). A message from the enterprise, or a forward (the new bureau has
    /// not answered yet), leaves it awaiting a reply; the bureau's reply marks it replied.
    pub fn after(self, event: Event) -> Result<ConversationState, ParseError> {
        if self == ConversationState::Closed {
            return Err(ParseError::new(
                "conversation_closed",
                "交流已关闭，不能再发送、转交或关闭",
            ));
        }
        Ok(match event {
            Event::Message(Party::Enterprise) | Event::Forward => ConversationState::AwaitingReply,
            Event::Message(Party::Bureau) => ConversationState::Replied,
            Event::Close => ConversationState::Closed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn subject_is_trimmed_and_bounded() {
        assert_eq!(
            Subject::parse("  电梯年检咨询 ").unwrap().as_str(),
            "电梯年检咨询"
        );
        assert_eq!(
            Subject::parse(" \t ").unwrap_err().code(),
            "subject_required"
        );
        assert!(Subject::parse(&"梯".repeat(100)).is_ok());
        assert_eq!(
            Subject::parse(&"梯".repeat(101)).unwrap_err().code(),
            "subject_too_long"
        );
    }

    #[test]
    fn content_is_trimmed_and_bounded() {
        assert_eq!(MessageContent::parse("\n 你好\n").unwrap().as_str(), "你好");
        assert_eq!(
            MessageContent::parse("").unwrap_err().code(),
            "content_required"
        );
        assert!(MessageContent::parse(&"字".repeat(2000)).is_ok());
        assert_eq!(
            MessageContent::parse(&"字".repeat(2001))
                .unwrap_err()
                .code(),
            "content_too_long"
        );
    }

    #[test]
    fn excerpt_is_one_line_and_marks_a_cut() {
        assert_eq!(excerpt("第一行\n\n第二行", 60), "第一行 第二行");
        assert_eq!(excerpt("一二三四五", 3), "一二…");
        assert_eq!(excerpt("一二三", 3), "一二三");
    }

    #[test]
    fn whose_turn_it_is() {
        use ConversationState::*;
        assert_eq!(
            AwaitingReply.after(Event::Message(Party::Bureau)),
            Ok(Replied)
        );
        assert_eq!(
            Replied.after(Event::Message(Party::Enterprise)),
            Ok(AwaitingReply)
        );
        assert_eq!(
            AwaitingReply.after(Event::Message(Party::Enterprise)),
            Ok(AwaitingReply)
        );
        assert_eq!(Replied.after(Event::Forward), Ok(AwaitingReply));
        assert_eq!(Replied.after(Event::Close), Ok(Closed));
        assert_eq!(AwaitingReply.after(Event::Close), Ok(Closed));
    }

    #[test]
    fn wire_names_match_serde() {
        for s in ConversationState::all() {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(s.as_str().parse::<ConversationState>().unwrap(), *s);
        }
        for k in EntryKind::all() {
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        for p in [Party::Enterprise, Party::Bureau] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert_eq!(
            serde_json::from_str::<Subject>("\"  x \"")
                .unwrap()
                .as_str(),
            "x"
        );
        assert!(serde_json::from_str::<MessageContent>("\"  \"").is_err());
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Message(Party::Enterprise)),
            Just(Event::Message(Party::Bureau)),
            Just(Event::Forward),
            Just(Event::Close),
        ]
    }

    proptest! {
        /// Once closed, every further event is refused with `conversation_closed`; before that,
        /// every event is accepted and the state follows the last event.
        #[test]
        fn closed_is_final(events in proptest::collection::vec(event(), 0..30)) {
            let mut state = ConversationState::AwaitingReply;
            let mut closed = false;
            for e in events {
                match state.after(e) {
                    Ok(next) => {
                        prop_assert!(!closed);
                        let expected = match e {
                            Event::Message(Party::Bureau) => ConversationState::Replied,
                            Event::Close => ConversationState::Closed,
                            _ => ConversationState::AwaitingReply,
                        };
                        prop_assert_eq!(next, expected);
                        closed = next == ConversationState::Closed;
                        state = next;
                    }
                    Err(err) => {
                        prop_assert!(closed);
                        prop_assert_eq!(err.code(), "conversation_closed");
                    }
                }
            }
        }

        /// Parsing never keeps outer whitespace, and what parses is within the limits.
        #[test]
        fn parsed_text_is_trimmed_and_within_limits(s in "\\PC{0,2100}", pad in "[ \\t\\n]{0,3}") {
            let padded = format!("{pad}{s}{pad}");
            if let Ok(c) = MessageContent::parse(&padded) {
                prop_assert_eq!(c.as_str(), c.as_str().trim());
                let n = c.as_str().chars().count();
                prop_assert!((1..=MAX_CONTENT_CHARS).contains(&n));
                prop_assert!(c.excerpt().chars().count() <= EXCERPT_CHARS);
            } else {
                let n = padded.trim().chars().count();
                prop_assert!(n == 0 || n > MAX_CONTENT_CHARS);
            }
            if let Ok(subject) = Subject::parse(&padded) {
                prop_assert!(subject.as_str().chars().count() <= MAX_SUBJECT_CHARS);
                prop_assert_eq!(subject.as_str(), padded.trim());
            }
        }
    }
}
