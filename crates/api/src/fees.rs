//! The fee tariffs the server estimates with: the bundled Zhejiang reference book, or the file
//! the institute puts at `TEJIAN_TARIFF_FILE` (read at start; a bad file stops the start with
//! every problem listed, rather than estimating with half a tariff).

use std::path::Path;

use tejian_domain::fee::{Tariff, TariffBook};
use time::Date;

/// The region whose tariff applies: 湖州 (falls back to 浙江 by [`TariffBook::select`]).
pub const REGION: &str = "330500";

/// The tariff book and its JSON text (served to the SPA, which computes in the browser).
#[derive(Debug)]
pub struct Tariffs {
    book: TariffBook,
    json: String,
}

impl Tariffs {
    /// The bundled book.
    pub fn bundled() -> Result<Self, String> {
        let book = TariffBook::bundled()
            .map_err(|e| format!("bundled tariff book is invalid: {e}"))?
            .clone();
        Ok(Self {
            book,
            json: TariffBook::bundled_json().to_owned(),
        })
    }

    /// The book in `path`, validated.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read TEJIAN_TARIFF_FILE {}: {e}", path.display()))?;
        let book = TariffBook::from_json(&json)
            .map_err(|e| format!("TEJIAN_TARIFF_FILE {} is invalid: {e}", path.display()))?;
        Ok(Self { book, json })
    }

    /// The tariff in force on `date` for [`REGION`].
    pub fn in_force(&self, date: Date) -> Option<&Tariff> {
        self.book.select(REGION, date)
    }

    /// The whole book as JSON (the file as read).
    pub fn json(&self) -> &str {
        &self.json
    }
}
