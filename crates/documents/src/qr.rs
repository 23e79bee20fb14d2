//! The verification QR code, drawn as filled rectangles (one per horizontal run of dark modules).

use qrcode::{Color, EcLevel, QrCode};

use crate::DocumentError;
use crate::layout::Layout;

/// A QR symbol for `content`: medium error correction, or low when the content is too long
/// for medium.
pub(crate) fn symbol(content: &str) -> Result<QrCode, DocumentError> {
    QrCode::with_error_correction_level(content.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(content.as_bytes(), EcLevel::L))
        .map_err(|e| DocumentError::Render(format!("verification URL does not fit a QR code: {e}")))
}

/// Draws `code` into the square at (`x`, `y`) of side `size` points (the quiet zone is left
/// to the caller's white space).
pub(crate) fn draw(layout: &mut Layout<'_, '_>, code: &QrCode, x: f32, y: f32, size: f32) {
    let width = code.width();
    if width == 0 {
        return;
    }
    let module = size / width as f32;
    for row in 0..width {
        let mut column = 0;
        while column < width {
            if code[(column, row)] == Color::Dark {
                let start = column;
                while column < width && code[(column, row)] == Color::Dark {
                    column += 1;
                }
                // A hair of overlap so neighbouring rows show no seams when rasterised.
                layout.fill(
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (column - start) as f32 * module,
                    module + 0.05,
                    0,
                );
            } else {
                column += 1;
            }
        }
    }
}
