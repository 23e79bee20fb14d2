//! A small page-layout engine: text lines, ruled table rows that break across pages, running
//! heads, footers and page numbers. Layout produces a display list per page; `render` turns it
//! into a PDF with krilla once the page count is known.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke};

use crate::DocumentError;
use crate::text::Shaper;

/// A4 portrait, in points.
pub(crate) const PAGE_W: f32 = 595.276;
pub(crate) const PAGE_H: f32 = 841.89;
/// 20 mm side margins.
pub(crate) const LEFT: f32 = 56.7;
pub(crate) const RIGHT: f32 = PAGE_W - LEFT;
pub(crate) const CONTENT_W: f32 = RIGHT - LEFT;
/// Top of the first page's content.
pub(crate) const TOP: f32 = 54.0;
/// Top of the content on a continuation page, under the running head.
const CONTINUED_TOP: f32 = TOP + 28.0;
/// Content never goes below this line.
pub(crate) const BOTTOM: f32 = 782.0;
const FOOTER_RULE: f32 = 794.0;

/// Body text size (五号).
pub(crate) const BODY: f32 = 10.5;
/// Line height as a multiple of the font size.
pub(crate) const LEADING: f32 = 1.5;
pub(crate) const CELL_PAD: f32 = 5.0;
const PAD_X: f32 = CELL_PAD;
const PAD_Y: f32 = 3.0;
const RULE: f32 = 0.6;
/// Rows taller than this may be split across pages.
const TALL_ROW: f32 = 120.0;
/// Shade of label cells.
const LABEL_GRAY: u8 = 238;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug)]
pub(crate) enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
}

/// One cell of a ruled table row.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) width: f32,
    pub(crate) size: f32,
    pub(crate) bold: bool,
    pub(crate) shaded: bool,
    pub(crate) align: Align,
}

impl Cell {
    /// A shaded, centred label cell.
    pub(crate) fn label(text: impl Into<String>, width: f32) -> Cell {
        Cell {
            text: text.into(),
            width,
            size: BODY,
            bold: false,
            shaded: true,
            align: Align::Center,
        }
    }

    /// A plain, left-aligned value cell.
    pub(crate) fn value(text: impl Into<String>, width: f32) -> Cell {
        Cell {
            text: text.into(),
            width,
            size: BODY,
            bold: false,
            shaded: false,
            align: Align::Left,
        }
    }

    pub(crate) fn sized(mut self, size: f32, bold: bool) -> Cell {
        self.size = size;
        self.bold = bold;
        self
    }

    pub(crate) fn aligned(mut self, align: Align) -> Cell {
        self.align = align;
        self
    }

    fn line_height(&self) -> f32 {
        self.size * LEADING
    }
}

pub(crate) struct Layout<'s, 'f> {
    pub(crate) shaper: &'s Shaper<'f>,
    done: Vec<Vec<Op>>,
    current: Vec<Op>,
    /// Where the next content goes on the current page.
    pub(crate) y: f32,
    page_top: f32,
    running_head: (String, String),
    footer: String,
    /// A table's header row, repeated at the top of each page the table continues on.
    repeat_header: Option<(f32, Vec<Cell>)>,
}

impl<'s, 'f> Layout<'s, 'f> {
    /// `running_head`: left and right text at the top of every page after the first.
    pub(crate) fn new(
        shaper: &'s Shaper<'f>,
        running_head: (String, String),
        footer: String,
    ) -> Self {
        Layout {
            shaper,
            done: Vec::new(),
            current: Vec::new(),
            y: TOP,
            page_top: TOP,
            running_head,
            footer,
            repeat_header: None,
        }
    }

    pub(crate) fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        let size = 9.0;
        let baseline = TOP + size;
        let (left, right) = self.running_head.clone();
        self.text_fit(
            (LEFT, baseline),
            size,
            false,
            &left,
            Align::Left,
            CONTENT_W * 0.6,
        );
        self.text_fit(
            (RIGHT, baseline),
            size,
            false,
            &right,
            Align::Right,
            CONTENT_W * 0.38,
        );
        self.hline(LEFT, RIGHT, TOP + size + 6.0, 0.5);
        self.y = CONTINUED_TOP;
        self.page_top = CONTINUED_TOP;
        if let Some((x, cells)) = self.repeat_header.clone() {
            let lines = self.wrap_cells(&cells);
            let counts: Vec<usize> = lines.iter().map(Vec::len).collect();
            let starts = vec![0; cells.len()];
            self.draw_row_piece(x, &cells, &lines, &starts, &counts);
            self.page_top = self.y;
        }
    }

    /// Starts a new page unless `height` more fits on this one (or this page is still empty).
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > self.page_top + 0.5 {
            self.new_page();
        }
    }

    pub(crate) fn gap(&mut self, height: f32) {
        self.y = (self.y + height).min(BOTTOM);
    }

    /// One line of text, anchored at `x` as `align` says. No wrapping.
    pub(crate) fn text(
        &mut self,
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        text: &str,
        align: Align,
    ) {
        if text.is_empty() {
            return;
        }
        let width = self.shaper.width(text, size, bold);
        let x = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        self.current.push(Op::Text {
            x,
            baseline,
            size,
            bold,
            text: text.to_owned(),
        });
    }

    /// Like `text`, but cut with "…" to at most `max_width`.
    pub(crate) fn text_fit(
        &mut self,
        (x, baseline): (f32, f32),
        size: f32,
        bold: bool,
        text: &str,
        align: Align,
        max_width: f32,
    ) {
        let lines = self.shaper.wrap(text, size, bold, max_width);
        let mut first = lines.first().cloned().unwrap_or_default();
        if lines.len() > 1 {
            let ellipsis = self.shaper.width("…", size, bold);
            while !first.is_empty() && self.shaper.width(&first, size, bold) + ellipsis > max_width
            {
                first.pop();
            }
            first.push('…');
        }
        self.text(x, baseline, size, bold, &first, align);
    }

    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        self.current.push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
        });
    }

    pub(crate) fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: u8) {
        self.current.push(Op::Fill { x, y, w, h, gray });
    }

    fn frame(&mut self, x: f32, y: f32, w: f32, h: f32) {
        for (x1, y1, x2, y2) in [
            (x, y, x + w, y),
            (x, y + h, x + w, y + h),
            (x, y, x, y + h),
            (x + w, y, x + w, y + h),
        ] {
            self.current.push(Op::Line {
                x1,
                y1,
                x2,
                y2,
                width: RULE,
            });
        }
    }

    /// Text wrapped to `width` starting at `x`, each line aligned as `align` says; flows onto
    /// new pages.
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        text: &str,
        size: f32,
        bold: bool,
        align: Align,
    ) {
        let line_height = size * LEADING;
        for line in self.shaper.wrap(text, size, bold, width) {
            self.ensure(line_height);
            let baseline = baseline_in(self.y, line_height, size);
            let anchor = match align {
                Align::Left => x,
                Align::Center => x + width / 2.0,
                Align::Right => x + width,
            };
            self.text(anchor, baseline, size, bold, &line, align);
            self.y += line_height;
        }
    }

    /// A bold section heading with a bar on its left; kept with the next `keep` points.
    pub(crate) fn heading(&mut self, text: &str, keep: f32) {
        let size = 12.0;
        let height = size * LEADING + 8.0;
        self.ensure(height + keep);
        if self.y > self.page_top + 0.5 {
            self.gap(8.0);
        }
        self.fill(LEFT, self.y + 3.0, 3.0, size * LEADING - 6.0, 40);
        let baseline = baseline_in(self.y, size * LEADING, size);
        let text_width = CONTENT_W - 8.0;
        self.text_fit(
            (LEFT + 8.0, baseline),
            size,
            true,
            text,
            Align::Left,
            text_width,
        );
        self.y += size * LEADING;
    }

    /// Sets (or clears) the header row repeated on pages a table continues on.
    pub(crate) fn repeat_header(&mut self, header: Option<(f32, Vec<Cell>)>) {
        self.repeat_header = header;
    }

    fn wrap_cells(&self, cells: &[Cell]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|cell| {
                self.shaper
                    .wrap(&cell.text, cell.size, cell.bold, cell.width - 2.0 * PAD_X)
            })
            .collect()
    }

    /// A ruled table row at `x`; a row too tall for the rest of the page moves to the next, and
    /// one too tall for any page is split line by line.
    pub(crate) fn row(&mut self, x: f32, cells: &[Cell]) {
        let lines = self.wrap_cells(cells);
        let mut starts = vec![0_usize; cells.len()];
        loop {
            let remaining: Vec<usize> = lines
                .iter()
                .zip(&starts)
                .map(|(l, s)| l.len().saturating_sub(*s))
                .collect();
            let needed = cells
                .iter()
                .zip(&remaining)
                .map(|(c, n)| *n as f32 * c.line_height())
                .fold(0.0, f32::max)
                + 2.0 * PAD_Y;
            if self.y + needed <= BOTTOM {
                self.draw_row_piece(x, cells, &lines, &starts, &remaining);
                return;
            }
            let at_top = self.y <= self.page_top + 0.5;
            // A short row moves to the next page whole; a tall one starts here (when a few
            // lines fit) rather than leave a gap.
            let tall = needed > TALL_ROW && BOTTOM - self.y >= TALL_ROW / 2.0;
            if !at_top && !tall && needed <= BOTTOM - CONTINUED_TOP {
                self.new_page();
                continue;
            }
            // Split: as many lines of each cell as fit here.
            let room = BOTTOM - self.y - 2.0 * PAD_Y;
            let counts: Vec<usize> = cells
                .iter()
                .zip(&remaining)
                .map(|(c, n)| {
                    let fit = (room / c.line_height()).floor().max(0.0) as usize;
                    (*n).min(fit)
                })
                .collect();
            let progress = counts.iter().sum::<usize>() > 0;
            if !progress && !at_top {
                self.new_page();
                continue;
            }
            // At the top of a page something must go out, or this would never end.
            let counts: Vec<usize> = if progress {
                counts
            } else {
                remaining.iter().map(|n| (*n).min(1)).collect()
            };
            self.draw_row_piece(x, cells, &lines, &starts, &counts);
            for (start, count) in starts.iter_mut().zip(&counts) {
                *start += count;
            }
            if lines.iter().zip(&starts).all(|(l, s)| *s >= l.len()) {
                return;
            }
            self.new_page();
        }
    }

    fn draw_row_piece(
        &mut self,
        x: f32,
        cells: &[Cell],
        lines: &[Vec<String>],
        starts: &[usize],
        counts: &[usize],
    ) {
        let height = cells
            .iter()
            .zip(counts)
            .map(|(c, n)| (*n).max(1) as f32 * c.line_height())
            .fold(0.0, f32::max)
            + 2.0 * PAD_Y;
        let top = self.y;
        let mut cell_x = x;
        for ((cell, cell_lines), (start, count)) in
            cells.iter().zip(lines).zip(starts.iter().zip(counts))
        {
            if cell.shaded {
                self.fill(cell_x, top, cell.width, height, LABEL_GRAY);
            }
            let line_height = cell.line_height();
            let block = *count as f32 * line_height;
            let mut line_top = top + (height - block) / 2.0;
            for line in cell_lines.iter().skip(*start).take(*count) {
                let baseline = baseline_in(line_top, line_height, cell.size);
                let anchor = match cell.align {
                    Align::Left => cell_x + PAD_X,
                    Align::Center => cell_x + cell.width / 2.0,
                    Align::Right => cell_x + cell.width - PAD_X,
                };
                self.text(anchor, baseline, cell.size, cell.bold, line, cell.align);
                line_top += line_height;
            }
            self.frame(cell_x, top, cell.width, height);
            cell_x += cell.width;
        }
        self.y = top + height;
    }

    /// Adds a footer and "第 i 页 共 n 页" to every page and returns the pages.
    pub(crate) fn finish(mut self) -> Vec<Vec<Op>> {
        self.done.push(std::mem::take(&mut self.current));
        let pages = std::mem::take(&mut self.done);
        let total = pages.len();
        let size = 8.5;
        let baseline = FOOTER_RULE + 14.0;
        let footer = self.footer.clone();
        pages
            .into_iter()
            .enumerate()
            .map(|(index, ops)| {
                self.current = ops;
                self.hline(LEFT, RIGHT, FOOTER_RULE, 0.5);
                self.text_fit(
                    (LEFT, baseline),
                    size,
                    false,
                    &footer,
                    Align::Left,
                    CONTENT_W * 0.7,
                );
                let number = format!("第 {} 页 共 {} 页", index + 1, total);
                self.text(RIGHT, baseline, size, false, &number, Align::Right);
                std::mem::take(&mut self.current)
            })
            .collect()
    }
}

/// The baseline of a line of `size` text centred in a line box of `line_height` at `top`
/// (CJK fonts: ascent about 0.88 em, descent 0.12 em).
pub(crate) fn baseline_in(top: f32, line_height: f32, size: f32) -> f32 {
    top + (line_height - size) / 2.0 + 0.88 * size
}

/// Writes the pages as a PDF.
pub(crate) fn render(
    shaper: &Shaper<'_>,
    pages: Vec<Vec<Op>>,
    title: &str,
) -> Result<Vec<u8>, DocumentError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("zh-CN".to_owned())
            .creator("tejian".to_owned()),
    );
    let settings = || {
        PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| DocumentError::Render("invalid page size".to_owned()))
    };
    for ops in pages {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    baseline,
                    size,
                    bold,
                    text,
                } => {
                    let (face, faux_bold) = shaper.face(bold);
                    let glyphs = shaper.glyphs(&text, bold);
                    surface.set_fill(Some(Fill::default()));
                    surface.set_stroke(faux_bold.then(|| Stroke {
                        width: size * 0.04,
                        ..Stroke::default()
                    }));
                    surface.draw_glyphs(
                        Point::from_xy(x, baseline),
                        &glyphs,
                        face.krilla.clone(),
                        &text,
                        size,
                        false,
                    );
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(x1, y1);
                    builder.line_to(x2, y2);
                    if let Some(path) = builder.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width,
                            line_cap: LineCap::Square,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Fill { x, y, w, h, gray } => {
                    let mut builder = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        builder.push_rect(rect);
                    }
                    if let Some(path) = builder.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: luma::Color::new(gray).into(),
                            ..Fill::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| {
        DocumentError::Render(match e {
            krilla::error::KrillaError::Font(_, why) => format!("font: {why}"),
            other => format!("{other:?}"),
        })
    })
}
