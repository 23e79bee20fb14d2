//! `cargo xtask spa [--dev] [--names]`: the Leptos SPA, built to wasm32 and bound with
//! wasm-bindgen into `frontend/dist/`, which the server serves at `/`.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use wasm_bindgen_cli_support::Bindgen;

use crate::util::{
    Result, cargo, command, copy_dir, note, repo_root, run, step, target_dir, which,
};

/// The oldest binaryen whose output works in Chromium here (Debian 12's 108 does not).
const MIN_WASM_OPT: u32 = 116;

/// Features that rustc 1.95 enables by default for wasm32-unknown-unknown; wasm-opt must be
/// told about them or it rejects (or mis-optimises) the module.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Loads the app; a file because the CSP forbids inline scripts. Absolute paths, because the
/// SPA's client-side routes (`/equipment/overview`, …) serve the same index.html.
const BOOT_JS: &str =
    "import init from '/tejian_web.js';\ninit({ module_or_path: '/tejian_web_bg.wasm' });\n";

/// Used only while `frontend/index.html` does not exist yet.
const FALLBACK_INDEX: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>特检企业服务平台</title>
  <link rel="stylesheet" href="/style.css">
  <script type="module" src="/boot.js"></script>
</head>
<body></body>
</html>
"#;

pub fn spa(dev: bool) -> Result {
    spa_with(dev, false)
}

/// `names`: keep the wasm name section and skip wasm-opt, so that `twiggy` can tell what is
/// big in the module as shipped (it is otherwise identical to the release build's input to
/// wasm-opt).
pub fn spa_with(dev: bool, names: bool) -> Result {
    let started = Instant::now();
    let (profile, profile_dir) = if dev {
        ("dev", "debug")
    } else {
        ("wasm-release", "wasm-release")
    };
    step(&format!(
        "building the SPA (tejian-web, wasm32, profile {profile})"
    ));
    run(cargo().args([
        "build",
        "-p",
        "tejian-web",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]))?;

    let wasm = target_dir()?
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join("tejian_web.wasm");
    if !wasm.is_file() {
        return Err(format!(
            "{} was not produced: is tejian-web a cdylib (crate-type = [\"cdylib\", …])?",
            wasm.display()
        )
        .into());
    }

    let root = repo_root();
    let dist = root.join("frontend").join("dist");
    step(&format!("wasm-bindgen → {}", dist.display()));
    if dist.exists() {
        fs::remove_dir_all(&dist)
            .map_err(|e| format!("could not empty {}: {e}", dist.display()))?;
    }
    fs::create_dir_all(&dist)?;
    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        .debug(dev)
        .keep_debug(dev)
        // Dev builds keep function names for readable panics and profiles.
        .remove_name_section(!dev && !names)
        .remove_producers_section(true);
    bindgen
        .generate(&dist)
        .map_err(|e| format!("wasm-bindgen failed on {}: {e:#}", wasm.display()))?;

    let bg_wasm = dist.join("tejian_web_bg.wasm");
    if dev || names {
        note("dev build or --names: wasm-opt skipped");
    } else {
        wasm_opt(&bg_wasm)?;
    }

    step("static files");
    let index = root.join("frontend").join("index.html");
    if index.is_file() {
        fs::copy(&index, dist.join("index.html"))?;
        note("copied frontend/index.html");
    } else {
        fs::write(dist.join("index.html"), FALLBACK_INDEX)?;
        note("frontend/index.html does not exist yet: wrote a minimal one into dist");
    }
    let public = root.join("frontend").join("public");
    if public.is_dir() {
        copy_dir(&public, &dist)?;
        note("copied frontend/public/");
    }
    fs::write(dist.join("boot.js"), BOOT_JS)?;
    note("wrote boot.js");

    step("SPA sizes (and precompressed copies)");
    for name in ["tejian_web_bg.wasm", "tejian_web.js"] {
        let bytes = fs::read(dist.join(name))?;
        let gz = gzip(&bytes)?;
        let br = brotli(&bytes)?;
        // The server sends these as they are to browsers that accept them (crates/api's
        // http/spa.rs); dev builds skip them (quality 11 takes a few seconds).
        if !dev {
            fs::write(dist.join(format!("{name}.gz")), &gz)?;
            fs::write(dist.join(format!("{name}.br")), &br)?;
        }
        note(&format!(
            "{name:<20} {:>10}  ({} gzip -9, {} brotli -q 11)",
            human(bytes.len()),
            human(gz.len()),
            human(br.len())
        ));
    }
    println!(
        "\nSPA ready in {} ({:.1}s)",
        dist.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs `wasm-opt -O1` in place when a recent enough binaryen is on PATH. Not `-Oz`: measured on
/// this SPA with binaryen 132, `-Oz`, `-Os` and `-O2` make the module 10–15 % smaller raw but
/// about 10 % larger gzipped and 7 % larger in brotli (what the browser downloads); `-O1` gains
/// about 1 %.
fn wasm_opt(wasm: &Path) -> Result {
    let Some(program) = which("wasm-opt") else {
        note("wasm-opt not on PATH: skipped (optional; npm `binaryen` >= 116 provides one)");
        return Ok(());
    };
    let version = command(&program)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| parse_wasm_opt_version(&String::from_utf8_lossy(&o.stdout)));
    match version {
        Some(v) if v >= MIN_WASM_OPT => {}
        Some(v) => {
            note(&format!(
                "{} is version {v}; versions below {MIN_WASM_OPT} produce modules that fail in Chromium: skipped",
                program.display()
            ));
            return Ok(());
        }
        None => {
            note(&format!(
                "could not read the version of {}: wasm-opt skipped",
                program.display()
            ));
            return Ok(());
        }
    }
    let optimised = wasm.with_extension("opt.wasm");
    let before = fs::metadata(wasm)?.len();
    let result = run(command(&program)
        .arg("-O1")
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(&optimised));
    match result {
        Ok(()) => {
            fs::rename(&optimised, wasm)?;
            let after = fs::metadata(wasm)?.len();
            note(&format!(
                "wasm-opt -O1: {} → {}",
                human(usize::try_from(before)?),
                human(usize::try_from(after)?)
            ));
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&optimised);
            note(&format!(
                "WARNING: {e}; keeping the module as wasm-bindgen wrote it"
            ));
            Ok(())
        }
    }
}

/// `wasm-opt version 132 (version_132)` → 132.
fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let rest = &text[text.find("version")? + "version".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn human(bytes: usize) -> String {
    // Sizes of a web app fit an f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", b / 1024.0 / 1024.0)
    } else if b >= 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wasm_opt_versions() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108\n"), Some(108));
        assert_eq!(parse_wasm_opt_version("something else"), None);
    }
}
