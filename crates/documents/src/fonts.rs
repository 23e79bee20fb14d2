//! Finding and loading a CJK font.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use crate::DocumentError;

/// Well-known places of a CJK font on Linux, best first (Debian/Ubuntu names first, then Fedora
/// and Arch). The first one that exists and covers Chinese is used.
pub const SYSTEM_FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/lxgw/LXGWWenKai-Regular.ttf",
    "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
    "/usr/share/fonts/opentype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

/// Characters a usable font must have: a font without them would print boxes.
const PROBE: &str = "湖州市特种设备检测研究院检验报告合格";

/// One face of a font file (a TrueType collection holds several).
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) data: Arc<Vec<u8>>,
    pub(crate) index: u32,
    pub(crate) path: PathBuf,
}

impl Face {
    pub(crate) fn font_ref(&self) -> Result<FontRef<'_>, DocumentError> {
        FontRef::from_index(&self.data, self.index).map_err(|e| {
            DocumentError::Render(format!(
                "font {} face {}: {e}",
                self.path.display(),
                self.index
            ))
        })
    }
}

/// The fonts the PDFs are set in: a regular CJK face and, when one is found next to it, a bold
/// one (without it, headings are drawn in a stroked "faux bold").
///
/// Loading reads the whole font file (NotoSansCJK-Regular.ttc is about 19 MB) once; share one
/// `Fonts` between renders. Each PDF embeds only the glyphs it uses.
#[derive(Clone)]
pub struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Option<Face>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field(
                "regular",
                &(self.regular.path.display(), self.regular.index),
            )
            .field(
                "bold",
                &self.bold.as_ref().map(|b| (b.path.display(), b.index)),
            )
            .finish()
    }
}

impl Fonts {
    /// `configured`: a path from the env var `TEJIAN_CJK_FONT` (the caller reads env). A `.ttc`
    /// collection may name its face as `path#index`; without it the Simplified Chinese face is
    /// picked by name. When `None`, the [`SYSTEM_FONT_PATHS`] are searched. Fails with
    /// [`DocumentError::FontNotFound`] listing what it tried.
    pub fn load(configured: Option<&Path>) -> Result<Fonts, DocumentError> {
        if let Some(path) = configured {
            let regular = load_face(path).map_err(|why| {
                DocumentError::FontNotFound(format!("TEJIAN_CJK_FONT={}: {why}", path.display()))
            })?;
            let bold = bold_sibling(&regular.path);
            return Ok(Fonts { regular, bold });
        }
        let mut tried = Vec::new();
        for candidate in SYSTEM_FONT_PATHS {
            let path = Path::new(candidate);
            match load_face(path) {
                Ok(regular) => {
                    let bold = bold_sibling(&regular.path);
                    return Ok(Fonts { regular, bold });
                }
                Err(why) => tried.push(format!("{candidate} ({why})")),
            }
        }
        Err(DocumentError::FontNotFound(format!(
            "no CJK font found; set TEJIAN_CJK_FONT to a .ttf/.otf/.ttc with Chinese glyphs or \
             install fonts-noto-cjk. Tried: {}",
            tried.join("; ")
        )))
    }

    /// The regular font's file and face index.
    pub fn regular_path(&self) -> (&Path, u32) {
        (&self.regular.path, self.regular.index)
    }

    /// The bold font's file and face index, when one was found.
    pub fn bold_path(&self) -> Option<(&Path, u32)> {
        self.bold.as_ref().map(|b| (b.path.as_path(), b.index))
    }
}

/// `path`, or `path#index` for a face of a collection.
fn split_index(path: &Path) -> (PathBuf, Option<u32>) {
    if !path.exists()
        && let Some(text) = path.to_str()
        && let Some((file, index)) = text.rsplit_once('#')
        && let Ok(index) = index.parse::<u32>()
    {
        return (PathBuf::from(file), Some(index));
    }
    (path.to_path_buf(), None)
}

fn load_face(path: &Path) -> Result<Face, String> {
    let (path, index) = split_index(path);
    if !path.exists() {
        return Err("not found".to_owned());
    }
    let data = std::fs::read(&path).map_err(|e| format!("unreadable: {e}"))?;
    let index = match index {
        Some(index) => index,
        None => pick_face(&data)?,
    };
    let font = FontRef::from_index(&data, index).map_err(|e| format!("face {index}: {e}"))?;
    let charmap = font.charmap();
    if let Some(missing) = PROBE.chars().find(|c| charmap.map(*c).is_none()) {
        return Err(format!("face {index} has no glyph for {missing:?}"));
    }
    Ok(Face {
        data: Arc::new(data),
        index,
        path,
    })
}

/// The face of a collection to use: the Simplified Chinese one by family name ("Noto Sans CJK
/// SC"), else the first that is not monospaced, else 0.
fn pick_face(data: &[u8]) -> Result<u32, String> {
    match FileRef::new(data).map_err(|e| format!("not a font: {e}"))? {
        FileRef::Font(_) => Ok(0),
        FileRef::Collection(collection) => {
            let families: Vec<String> = (0..collection.len())
                .map(|i| {
                    collection
                        .get(i)
                        .ok()
                        .and_then(|font| {
                            font.localized_strings(StringId::FAMILY_NAME)
                                .english_or_first()
                                .map(|name| name.to_string())
                        })
                        .unwrap_or_default()
                })
                .collect();
            let position = families
                .iter()
                .position(|f| f.ends_with(" SC") && !f.contains("Mono"))
                .or_else(|| families.iter().position(|f| !f.contains("Mono")))
                .unwrap_or(0);
            u32::try_from(position).map_err(|e| e.to_string())
        }
    }
}

/// `NotoSansCJK-Bold.ttc` next to `NotoSansCJK-Regular.ttc`, and the like.
fn bold_sibling(regular: &Path) -> Option<Face> {
    let name = regular.file_name()?.to_str()?;
    if !name.contains("Regular") {
        return None;
    }
    load_face(&regular.with_file_name(name.replace("Regular", "Bold"))).ok()
}
