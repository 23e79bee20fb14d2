//! Measuring and breaking text. No shaping engine: CJK needs none, and Latin text in these
//! documents (numbers, codes, units) reads fine with plain advances.

use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;

use crate::DocumentError;
use crate::fonts::{Face, Fonts};

/// One face ready for measuring and drawing.
pub(crate) struct ShapedFace<'a> {
    charmap: Charmap<'a>,
    metrics: GlyphMetrics<'a>,
    units_per_em: f32,
    pub(crate) krilla: krilla::text::Font,
}

impl<'a> ShapedFace<'a> {
    fn new(face: &'a Face) -> Result<Self, DocumentError> {
        let font = face.font_ref()?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let krilla =
            krilla::text::Font::new(face.data.clone().into(), face.index).ok_or_else(|| {
                DocumentError::Render(format!(
                    "font {} face {} could not be read",
                    face.path.display(),
                    face.index
                ))
            })?;
        Ok(ShapedFace {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: if units_per_em > 0.0 {
                units_per_em
            } else {
                1000.0
            },
            krilla,
        })
    }

    fn glyph(&self, c: char) -> (u32, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let advance = self.metrics.advance_width(gid).unwrap_or(0.0) / self.units_per_em;
        (gid.to_u32(), advance)
    }
}

/// The document's faces. Bold falls back to the regular face (drawn stroked, see `layout`).
pub(crate) struct Shaper<'a> {
    regular: ShapedFace<'a>,
    bold: Option<ShapedFace<'a>>,
}

impl<'a> Shaper<'a> {
    pub(crate) fn new(fonts: &'a Fonts) -> Result<Self, DocumentError> {
        Ok(Shaper {
            regular: ShapedFace::new(&fonts.regular)?,
            bold: match &fonts.bold {
                Some(face) => Some(ShapedFace::new(face)?),
                None => None,
            },
        })
    }

    /// The face to draw `bold` text with, and whether it must be emboldened by stroking.
    pub(crate) fn face(&self, bold: bool) -> (&ShapedFace<'a>, bool) {
        match (bold, &self.bold) {
            (true, Some(face)) => (face, false),
            (true, None) => (&self.regular, true),
            (false, _) => (&self.regular, false),
        }
    }

    /// Width of `text` at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let (face, _) = self.face(bold);
        text.chars().map(|c| face.glyph(c).1).sum::<f32>() * size
    }

    /// The glyphs for `text`, one per char, with text ranges so the PDF's text is extractable.
    pub(crate) fn glyphs(&self, text: &str, bold: bool) -> Vec<KrillaGlyph> {
        let (face, _) = self.face(bold);
        text.char_indices()
            .map(|(at, c)| {
                let (gid, advance) = face.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Breaks `text` into lines no wider than `max_width` (hard breaks at '\n'). Always at least
    /// one line (an empty one for empty text).
    pub(crate) fn wrap(&self, text: &str, size: f32, bold: bool, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let clean: String = paragraph
                .chars()
                .filter(|c| *c != '\r')
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            self.wrap_paragraph(
                clean.trim_end(),
                size,
                bold,
                max_width.max(size),
                &mut lines,
            );
        }
        lines
    }

    fn wrap_paragraph(
        &self,
        text: &str,
        size: f32,
        bold: bool,
        max_width: f32,
        lines: &mut Vec<String>,
    ) {
        let first_line = lines.len();
        let mut line = String::new();
        let mut width = 0.0_f32;
        // Where the last token on `line` starts.
        let mut last_token = 0;
        for token in tokens(text) {
            let token_width = self.width(token, size, bold);
            if token.chars().all(char::is_whitespace) {
                if line.is_empty() && lines.len() > first_line {
                    continue; // no leading blanks on a wrapped line
                }
                if width + token_width > max_width {
                    lines.push(std::mem::take(&mut line).trim_end().to_owned());
                    width = 0.0;
                    last_token = 0;
                } else {
                    last_token = line.len();
                    line.push_str(token);
                    width += token_width;
                }
                continue;
            }
            if width + token_width <= max_width {
                last_token = line.len();
                line.push_str(token);
                width += token_width;
                continue;
            }
            if token_width > max_width {
                // Longer than a whole line: fill this line, then break it anywhere.
                for c in token.chars() {
                    let c_width = self.width(c.encode_utf8(&mut [0; 4]), size, bold);
                    if width + c_width > max_width && !line.trim().is_empty() {
                        lines.push(std::mem::take(&mut line).trim_end().to_owned());
                        width = 0.0;
                    }
                    line.push(c);
                    width += c_width;
                }
                last_token = 0;
                continue;
            }
            // A new line for this token; the line start must not be closing punctuation and
            // the line end not opening punctuation, so words may move along.
            let mut carry = String::new();
            if starts_with_closing(token) && last_token > 0 {
                carry = line.split_off(last_token);
            }
            while line.chars().count() > 1 && line.chars().last().is_some_and(is_opening) {
                if let Some(c) = line.pop() {
                    carry.insert(0, c);
                }
            }
            if line.trim().is_empty() {
                line.push_str(&carry);
                carry.clear();
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
            }
            line = carry.trim_start().to_owned();
            last_token = line.len();
            line.push_str(token);
            width = self.width(&line, size, bold);
            if width > max_width && last_token > 0 {
                // The carried word and the token together are too long: leave the word.
                let rest = line.split_off(last_token);
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                line = rest;
                last_token = 0;
                width = token_width;
            }
        }
        lines.push(line.trim_end().to_owned());
    }
}

/// Break units: a run of blanks, a single CJK char (or punctuation), or a run of other chars
/// (a Latin word, a number, a code).
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Space,
        Single,
        Word,
    }
    fn kind(c: char) -> Kind {
        if c.is_whitespace() {
            Kind::Space
        } else if is_wide(c) || is_opening(c) || is_closing(c) {
            Kind::Single
        } else {
            Kind::Word
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<Kind> = None;
    for (at, c) in text.char_indices() {
        let k = kind(c);
        if let Some(p) = previous
            && (p != k || k == Kind::Single)
        {
            out.push(&text[start..at]);
            start = at;
        }
        previous = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// CJK ideographs, kana, hangul, fullwidth forms and CJK punctuation: a line may break around
/// each of them.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF
        | 0x2E80..=0x303F
        | 0x3040..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』”’】〕〉…—".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『“‘【〔〈".contains(c)
}

fn starts_with_closing(token: &str) -> bool {
    token.chars().next().is_some_and(is_closing)
}

#[cfg(test)]
mod tests {
    use super::{Shaper, tokens};
    use crate::Fonts;

    fn shaper_test(check: impl FnOnce(&Shaper<'_>)) {
        let fonts = Fonts::load(None).expect("a CJK font (apt-get install -y fonts-noto-cjk)");
        let shaper = Shaper::new(&fonts).expect("shaper");
        check(&shaper);
    }

    #[test]
    fn wrapping_respects_the_width_and_keeps_all_text() {
        shaper_test(|shaper| {
            let text = "底坑内有积水及杂物，应及时清理并检查防水措施（GB/T 7588.1—2020 5.2.2.1）。描述文字，包括 English words and 12345 numbers。";
            for width in [20.0, 60.0, 100.0, 157.0, 300.0] {
                let lines = shaper.wrap(text, 10.5, false, width);
                for line in &lines {
                    assert!(
                        shaper.width(line, 10.5, false) <= width.max(10.5) + 0.01,
                        "{line:?} wider than {width}"
                    );
                }
                let joined: String = lines.concat().split_whitespace().collect();
                let expected: String = text.split_whitespace().collect();
                assert_eq!(joined, expected, "at width {width}: {lines:?}");
            }
        });
    }

    #[test]
    fn wrapping_keeps_punctuation_off_line_starts_and_words_whole() {
        shaper_test(|shaper| {
            let lines = shaper.wrap(
                "包括 English words and 12345 numbers。描述",
                10.5,
                false,
                190.0,
            );
            for line in &lines[1..] {
                assert!(
                    !line.starts_with('。') && !line.starts_with('，'),
                    "{lines:?}"
                );
            }
            assert!(lines.iter().any(|l| l.contains("numbers")), "{lines:?}");
            let lines = shaper.wrap("一二三四五六（七八", 10.5, false, 63.0);
            assert!(lines.iter().all(|l| !l.ends_with('（')), "{lines:?}");
            assert_eq!(shaper.wrap("", 10.5, false, 100.0), vec![String::new()]);
            assert_eq!(shaper.wrap("a\nb", 10.5, false, 100.0), vec!["a", "b"]);
            let long = shaper.wrap(
                &format!("报告编号：{}", "NO-".repeat(40)),
                10.5,
                false,
                200.0,
            );
            assert!(long[0].starts_with("报告编号：NO-"), "{long:?}");
        });
    }

    #[test]
    fn tokens_split_cjk_words_and_blanks() {
        assert_eq!(
            tokens("额定速度 1.75 m/s，载重"),
            vec![
                "额", "定", "速", "度", " ", "1.75", " ", "m/s", "，", "载", "重"
            ]
        );
        assert!(tokens("").is_empty());
    }
}
